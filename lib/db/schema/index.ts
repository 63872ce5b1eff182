export * from "./work";
export * from "./kpis";
export * from "./imports";
export * from "./access";
export * from "./jobs";
export * from "./auth";
export * from "./sharing";
export * from "./sources";
