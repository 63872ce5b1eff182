export * from "./work";
export * from "./kpis";
export * from "./imports";
export * from "./access";
export * from "./jobs";
