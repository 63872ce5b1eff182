"use server";

import { revalidatePath } from "next/cache";
import { createDecision } from "@/lib/services/decisions";
import { withAction } from "@/lib/services/entries";
import { decideRoadblock, reportRoadblock } from "@/lib/services/roadblocks";

const text = (form: FormData, k: string) => String(form.get(k) ?? "");

// A roadblock changes the item's page, the team's dashboard (blockers), and the logs.
function revalidateReviewed() {
  revalidatePath("/teams/[team]", "layout");
}

export const reportRoadblockAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const roadblock = await reportRoadblock(ctx, text(form, "team"), {
    item: text(form, "item"),
    problem: text(form, "problem"),
    proposal: text(form, "proposal"),
    support_needed: text(form, "support_needed"),
    since: text(form, "since"),
  });
  revalidateReviewed();
  return { ok: `Reported roadblock #${roadblock.id} on ${roadblock.item_key}: ${roadblock.path}` };
});

export const decideRoadblockAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const id = Number(form.get("id"));
  const roadblock = await decideRoadblock(ctx, text(form, "team"), Number.isInteger(id) ? id : -1, {
    decision: text(form, "decision"),
    text: text(form, "text"),
    ends_block: text(form, "ends_block"),
    show_on_charts: text(form, "show_on_charts"),
  });
  revalidateReviewed();
  return { ok: roadblock.ended_at ? "Decision recorded; the block has ended." : "Decision recorded; the item is still blocked." };
});

export const createDecisionAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const decision = await createDecision(ctx, text(form, "team"), {
    title: text(form, "title"),
    rationale: text(form, "rationale"),
    decided_on: text(form, "decided_on"),
    items: text(form, "items"),
    milestones: text(form, "milestones"),
    roadblock: text(form, "roadblock"),
    show_on_charts: text(form, "show_on_charts"),
  });
  revalidateReviewed();
  return { ok: `Recorded "${decision.title}": ${decision.path}` };
});
