import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";
import { DEMO_DATA_SETTING } from "../auth/actors";
import { putSetting } from "../db/queries/users";
import { importHistory } from "../ingest/history";
import { importKpis } from "../ingest/kpi";
import { generateDemo, type DemoOptions } from "./generate";

export async function hasAnyTeam(db: Db): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from teams`);
  return (rows[0]?.n ?? 0) > 0;
}

/** Loads the demo through the same importers a user's files go through. */
export async function loadDemo(db: Db, options: DemoOptions) {
  const demo = generateDemo(options);
  let items = 0;
  for (const doc of demo.histories) {
    const { items: docItems, ...header } = doc;
    const summary = await importHistory(db, {
      name: `demo:${String((header.team as { key: string }).key)}`,
      header,
      items: docItems.map((value, i) => ({ where: `items[${i}]`, value })),
    });
    items += summary.counts.items;
  }
  let kpiPoints = 0;
  for (const batch of demo.kpis) kpiPoints += (await importKpis(db, batch)).counts.points;
  // The embedded database with the demo offers "Explore the demo" (lib/auth/actors.ts).
  await putSetting(db, DEMO_DATA_SETTING, true);
  return { teams: demo.histories.length, items, kpiPoints };
}
