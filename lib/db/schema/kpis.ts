import { date, doublePrecision, pgEnum, pgTable, primaryKey, serial, integer, text } from "drizzle-orm/pg-core";

export const kpiAggregation = pgEnum("kpi_aggregation", ["sum", "last", "avg"]);
export type KpiAggregation = (typeof kpiAggregation.enumValues)[number];

export const kpis = pgTable("kpis", {
  id: serial("id").primaryKey(),
  key: text("key").notNull().unique(),
  name: text("name").notNull(),
  unit: text("unit"),
  aggregation: kpiAggregation("aggregation").notNull(),
});

export const kpiPoints = pgTable(
  "kpi_points",
  {
    kpiId: integer("kpi_id")
      .notNull()
      .references(() => kpis.id, { onDelete: "cascade" }),
    date: date("date", { mode: "string" }).notNull(),
    /** "" is the whole, unsegmented series; a primary key cannot hold null. */
    segment: text("segment").notNull().default(""),
    value: doublePrecision("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kpiId, t.date, t.segment] })],
);
