import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../client";

/** One round trip to the database through this process's pool; throws when it does not answer. */
export async function pingDatabase(db: Db): Promise<void> {
  await queryRows(db, sql`select 1`);
}
