// Whether this app instance can serve: what a load balancer asks before sending it requests.
import "server-only";
import { pingDatabase } from "../db/queries/health";
import { AppError } from "../errors";
import type { ServiceContext } from "./context";

/**
 * Anyone may ask, signed in or not: the answer says only that this instance reaches its database
 * (sessions, rate limits, schedules and every view live there; without it nothing works). 503 if not.
 */
export async function getHealth(ctx: Pick<ServiceContext, "db">): Promise<{ status: "ok" }> {
  try {
    await pingDatabase(ctx.db);
  } catch {
    throw new AppError("DATABASE_BUSY", "This instance cannot reach its database.");
  }
  return { status: "ok" };
}
