// One work item with its explanation, for teams the actor may read.
import "server-only";
import { getItemDetail as loadItem, type ItemDetail } from "../metrics/item-detail";
import type { ServiceContext } from "./context";
import { requireTeam } from "./teams";

export type { ItemDetail };

export async function getItemDetail(ctx: ServiceContext, teamKey: string, itemKey: string, asOf: Date = ctx.now): Promise<ItemDetail> {
  await requireTeam(ctx, teamKey);
  return loadItem(ctx.db, teamKey, itemKey, asOf);
}
