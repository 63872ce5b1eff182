// Milestone impact and the outcomes view, for teams the actor may read. KPIs are organisation-wide.
import "server-only";
import { canReadKpis } from "../auth/permissions";
import type { KpiGrain } from "../metrics/compute/kpi";
import { getMilestoneImpact as loadImpact, getOutcomesView as loadView, type MilestoneImpactResult, type OutcomesView } from "../metrics/outcomes";
import { allow, type ServiceContext } from "./context";
import { requireTeam } from "./teams";

export async function getMilestoneImpact(ctx: ServiceContext, input: { team: string } & Record<string, unknown>): Promise<MilestoneImpactResult> {
  allow(canReadKpis(ctx.actor));
  await requireTeam(ctx, input.team);
  return loadImpact(ctx.db, input, ctx.now);
}

export async function getOutcomesView(ctx: ServiceContext, input: { team: string; kpi: string; window?: string | number; as_of?: string; grain: KpiGrain }): Promise<OutcomesView> {
  allow(canReadKpis(ctx.actor));
  await requireTeam(ctx, input.team);
  return loadView(ctx.db, input, ctx.now);
}
