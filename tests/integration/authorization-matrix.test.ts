// The authorization matrix (../shared/spec/access.md), cell by cell: every entry point (page,
// API route, server action, CLI) as the service call it makes, for every kind of actor, with the
// exact status and no other team's data in what comes back. Actors are built from credentials the
// way the app builds them (tokens through actorForBearer, users from their rows).
import { addSource, getSourceDetail, listSources, listSourceStatuses, removeSource, reviewSourceMapping, setSourceMapping, syncSourceNow, testSource } from "../../lib/services/sources";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorForBearer, actorForSession, DEMO_SETTING } from "../../lib/auth/actors";
import { revokeApiToken } from "../../lib/auth/api-tokens";
import { ANONYMOUS, SYSTEM, type Actor } from "../../lib/auth/permissions";
import type { Database } from "../../lib/db/client";
import { putSetting } from "../../lib/db/queries/users";
import { AppError } from "../../lib/errors";
import { importHistory } from "../../lib/ingest/history";
import { importKpis } from "../../lib/ingest/kpi";
import { changeUserRole, changeUserTeams, createUser, getSignInOptions, listAccounts, setUserDisabled, setupFirstAdmin } from "../../lib/services/accounts";
import { createAnnotation, deleteAnnotation, listAnnotations, updateAnnotation } from "../../lib/services/annotations";
import type { ServiceContext } from "../../lib/services/context";
import { getDashboard } from "../../lib/services/dashboard";
import { createDigestSubscription, deliverDigest, getDigest, getDigestFeed, listDigestSubscriptions, removeDigestSubscription, sendDigestNow } from "../../lib/services/digest";
import { getHealth } from "../../lib/services/health";
import { buildMissingFacts, importWorkHistory } from "../../lib/services/imports";
import { acceptInvite, createInvite, getInvite, listInvites, revokeInvite } from "../../lib/services/invites";
import { getItemDetail } from "../../lib/services/items";
import { defineKpi, getKpiSeries, listKpiChoices, listKpiOverview, pushKpiPoints, uploadKpiFile } from "../../lib/services/kpis";
import { getDayItems, getForecast, getOverview, getTeamMetric } from "../../lib/services/metrics";
import { getMilestoneImpact, getOutcomesView } from "../../lib/services/outcomes";
import {
  createOwnToken,
  createSchedule,
  getAccountView,
  getSettingsView,
  revokeToken,
  runScheduleNow,
  setDemoOffered,
  setScheduleOn,
} from "../../lib/services/settings";
import { actorOfShareToken, createShareLink, listShareLinks, openSharedView, revokeShareLink } from "../../lib/services/share-links";
import { listVisibleTeams } from "../../lib/services/teams";
import { createDecision, getDecisionDetail, getDecisionsPage, listDecisions } from "../../lib/services/decisions";
import { decideRoadblock, getItemRoadblocks, getRoadblockDetail, getRoadblocksPage, listRoadblocks, reportRoadblock } from "../../lib/services/roadblocks";
import { contextOf, makeToken, makeUser, userActor } from "../helpers/accounts";
import { engines, uniqueKey } from "../helpers/db";
import { historyDoc, sourceOf } from "../helpers/history";

type ActorName =
  | "anonymous"
  | "viewer"
  | "member of another team"
  | "member"
  | "admin"
  | "token with metrics:read"
  | "token without metrics:read"
  | "token with kpis:write of an admin"
  | "revoked token"
  | "demo visitor"
  | "share link"
  | "share link of another view"
  | "expired share link"
  | "revoked share link"
  | "system";
const ACTORS: ActorName[] = [
  "anonymous",
  "viewer",
  "member of another team",
  "member",
  "admin",
  "token with metrics:read",
  "token without metrics:read",
  "token with kpis:write of an admin",
  "revoked token",
  "demo visitor",
  "share link",
  "share link of another view",
  "expired share link",
  "revoked share link",
  "system",
];

/** A share link reaches its own view (lib/services/share-links.ts) and nothing else of the app. */
const shareRefusals = { "share link": 404, "share link of another view": 404, "expired share link": 401, "revoked share link": 401 } as const;
/** What the app's writes answer a share link (it is not signed in; dead ones are no credential). */
const shareWriteRefusals = { "share link": 403, "share link of another view": 403, "expired share link": 401, "revoked share link": 401 } as const;

/** 200 for success, else the refusal's status. */
type Status = 200 | 400 | 401 | 403 | 404;
type Expect = Partial<Record<ActorName, Status>> & { otherwise: Status };

const teamRead: Expect = {
  ...shareRefusals,
  otherwise: 200,
  anonymous: 401,
  "revoked token": 401,
  "member of another team": 404,
  "token without metrics:read": 403,
  "token with kpis:write of an admin": 403,
};
const orgRead: Expect = { ...teamRead, "member of another team": 200 };
const kpiWrite: Expect = {
  ...shareWriteRefusals,
  otherwise: 403,
  anonymous: 401,
  "revoked token": 401,
  admin: 200,
  system: 200,
  "token with kpis:write of an admin": 200,
};
const adminOnly: Expect = { ...shareWriteRefusals, otherwise: 403, anonymous: 401, "revoked token": 401, admin: 200, system: 200 };
const annotationCreate: Expect = { ...shareRefusals, otherwise: 403, anonymous: 401, "revoked token": 401, "member of another team": 404, admin: 200, member: 200, system: 200 };
/** On an annotation the admin made: its author and the system; the member is not its author. */
const annotationEdit: Expect = { ...shareRefusals, otherwise: 403, anonymous: 401, "revoked token": 401, "member of another team": 404, admin: 200, system: 200 };
const ownTokens: Expect = { ...shareWriteRefusals, otherwise: 403, anonymous: 401, "revoked token": 401, admin: 200, member: 200, "member of another team": 200 };

describe.each(engines())("authorization matrix on $name", (engine) => {
  let database: Database;
  const teamA = uniqueKey("alpha");
  const teamB = uniqueKey("bravo");
  const kpi = uniqueKey("revenue");
  const actors = new Map<ActorName, Actor>();
  let scheduleId = 0;
  let shareToken = "";
  let annotationId = 0;
  let roadblockId = 0;
  let decisionId = 0;

  beforeAll(async () => {
    database = await engine.open();
    for (const [team, prefix] of [
      [teamA, "ALPHA"],
      [teamB, "BRAVO"],
    ] as const) {
      await importHistory(
        database.db,
        sourceOf(
          historyDoc(team, "UTC", [{ key: `${prefix}-1`, title: `${prefix} secret plan`, milestone: "m1", transitions: [{ at: "2026-03-02T09:00:00Z", to: "In Progress" }, { at: "2026-03-04T09:00:00Z", to: "Done" }] }], {
            milestones: [{ key: "m1", name: "M1", due_on: "2026-03-10", shipped_at: "2026-03-05T00:00:00Z" }],
          }),
        ),
      );
    }
    await importKpis(database.db, { name: "test", redefine: true, definitions: [{ key: kpi, name: "Revenue", unit: "USD", aggregation: "sum" }], points: [{ kpi, date: "2026-03-01", value: 1, segment: "", where: "t" }] });
    const viewer = await makeUser(database, "viewer", [teamA]);
    const member = await makeUser(database, "member", [teamA]);
    const otherMember = await makeUser(database, "member", [teamB]);
    const admin = await makeUser(database, "admin");
    actors.set("anonymous", ANONYMOUS);
    actors.set("viewer", await userActor(database, viewer));
    actors.set("member", await userActor(database, member));
    actors.set("member of another team", await userActor(database, otherMember));
    actors.set("admin", await userActor(database, admin));
    actors.set("token with metrics:read", await (await makeToken(database, member, ["metrics:read"])).actor());
    actors.set("token without metrics:read", await (await makeToken(database, member, ["kpis:write"])).actor());
    actors.set("token with kpis:write of an admin", await (await makeToken(database, admin, ["kpis:write"])).actor());
    const revoked = await makeToken(database, admin, ["metrics:read", "kpis:write"]);
    await revokeApiToken(database.db, revoked.id);
    actors.set("revoked token", await actorForBearer(database.db, revoked.authorization));
    await putSetting(database.db, DEMO_SETTING, true);
    actors.set("demo visitor", await actorForSession(database.db, database.engine, { demo: true }));
    actors.set("system", SYSTEM);
    const sys = contextOf(database, SYSTEM);
    const tokenOf = (link: { path: string }) => link.path.slice("/s/".length);
    const liveLink = await createShareLink(sys, { team: teamA, kind: "dashboard" });
    shareToken = tokenOf(liveLink);
    actors.set("share link", await actorOfShareToken(sys, shareToken));
    actors.set("share link of another view", await actorOfShareToken(sys, tokenOf(await createShareLink(sys, { team: teamB, kind: "chart", chart: "wip" }))));
    const expiring = await createShareLink(contextOf(database, SYSTEM, new Date("2026-01-01T00:00:00Z")), { team: teamA, kind: "dashboard", expires_in_days: "1" });
    actors.set("expired share link", await actorOfShareToken(sys, tokenOf(expiring)));
    const revokedLink = await createShareLink(sys, { team: teamA, kind: "dashboard" });
    await revokeShareLink(sys, revokedLink.id);
    actors.set("revoked share link", await actorOfShareToken(sys, tokenOf(revokedLink)));
    const ctx = contextOf(database, SYSTEM);
    scheduleId = (await createSchedule(ctx, { name: "feed", cron: "0 6 * * *", url: "https://example.com/kpis.csv" })).id;
    annotationId = (await createAnnotation(contextOf(database, actors.get("admin")!), teamA, { starts_on: "2026-03-03", label: "incident" })).id;
    const asAdmin = contextOf(database, actors.get("admin")!, new Date("2026-04-01T00:00:00Z"));
    roadblockId = (await reportRoadblock(asAdmin, teamA, { item: "ALPHA-1", problem: "ALPHA waits on legal", proposal: "Ask legal" })).id;
    decisionId = (await createDecision(asAdmin, teamA, { title: "Ship ALPHA", rationale: "ready", items: "ALPHA-1" })).id;
  });
  afterAll(async () => database?.close());

  const ctxOf = (name: ActorName): ServiceContext => contextOf(database, actors.get(name)!, new Date("2026-04-01T00:00:00Z"));

  async function statusOf(call: Promise<unknown>): Promise<{ status: Status; body: string }> {
    try {
      return { status: 200, body: JSON.stringify(await call) ?? "" };
    } catch (error) {
      if (error instanceof AppError) return { status: error.status as Status, body: JSON.stringify({ error: error.message, code: error.code, details: error.details }) };
      throw error;
    }
  }

  /** Every entry point as the call it makes: what the page, route, action or CLI command does. */
  const entries: { entry: string; expect: Expect; public?: boolean; call: (ctx: ServiceContext) => Promise<unknown> }[] = [
    { entry: "page / (overview), CLI teams", expect: { ...orgRead }, call: (ctx) => getOverview(ctx) },
    { entry: "GET /api/teams", expect: { ...orgRead }, call: (ctx) => listVisibleTeams(ctx) },
    { entry: "page /teams/[team]", expect: teamRead, call: (ctx) => getDashboard(ctx, teamA, { from: "2026-03-01", to: "2026-03-31" }) },
    { entry: "GET /api/teams/[team]/metrics/cycle-time, CLI metrics", expect: teamRead, call: (ctx) => getTeamMetric(ctx, { metric: "cycle-time", team: teamA, from: "2026-03-01", to: "2026-03-31" }) },
    { entry: "GET /api/teams/[team]/metrics/quality", expect: teamRead, call: (ctx) => getTeamMetric(ctx, { metric: "quality", team: teamA, from: "2026-03-01", to: "2026-03-31" }) },
    { entry: "GET /api/teams/[team]/day-items", expect: teamRead, call: (ctx) => getDayItems(ctx, { team: teamA, date: "2026-03-03", kind: "wip" }) },
    { entry: "GET /api/teams/[team]/forecast, CLI metrics forecast", expect: teamRead, call: (ctx) => getForecast(ctx, { team: teamA, items: "2" }) },
    { entry: "GET /api/teams/[team]/milestone-impact", expect: teamRead, call: (ctx) => getMilestoneImpact(ctx, { team: teamA, kpi }) },
    { entry: "page /teams/[team]/items/[key]", expect: teamRead, call: (ctx) => getItemDetail(ctx, teamA, "ALPHA-1") },
    { entry: "page /digest?team=…", expect: teamRead, call: (ctx) => getDigest(ctx, { team: teamA, week: "2026-03-02" }) },
    { entry: "page /digest (a leader's: every team they see)", expect: orgRead, call: (ctx) => getDigest(ctx, { week: "2026-03-02" }) },
    { entry: "GET /digest/feed?team=…", expect: teamRead, call: (ctx) => getDigestFeed(ctx, { team: teamA }, "https://flow.example.com") },
    // Removed at once: a subscription left in a shared database would come due for its scheduler tests.
    {
      entry: "CLI digest subscribe",
      expect: adminOnly,
      call: async (ctx) => {
        const sub = await createDigestSubscription(ctx, { team: teamA, channel: "email", address: "lead@example.com" });
        await removeDigestSubscription(ctxOf("admin"), sub.id);
        return sub;
      },
    },
    { entry: "CLI digest list", expect: adminOnly, call: (ctx) => listDigestSubscriptions(ctx) },
    {
      entry: "CLI digest remove",
      expect: adminOnly,
      call: async (ctx) => removeDigestSubscription(ctx, (await createDigestSubscription(ctxOf("admin"), { team: teamA, channel: "email", address: "lead@example.com" })).id),
    },
    { entry: "CLI digest send --dry-run", expect: adminOnly, call: (ctx) => sendDigestNow(ctx, { team: teamA, week: "2026-03-02", dryRun: true }, { policy: { allow: [], maxBytes: 1, timeoutMs: 1 } }) },
    // The scheduler's delivery (as the system); an unknown subscription is skipped, past the door.
    { entry: "job digest-delivery", expect: adminOnly, call: (ctx) => deliverDigest(ctx, -1, "2026-03-02", { policy: { allow: [], maxBytes: 1, timeoutMs: 1 } }) },
    { entry: "page /outcomes", expect: teamRead, call: (ctx) => getOutcomesView(ctx, { team: teamA, kpi, grain: "week" }) },
    { entry: "page /outcomes (choices)", expect: orgRead, call: (ctx) => listKpiChoices(ctx) },
    { entry: "page /kpis", expect: orgRead, call: (ctx) => listKpiOverview(ctx) },
    { entry: "page /kpis/[key]", expect: orgRead, call: (ctx) => getKpiSeries(ctx, kpi, "week") },
    { entry: "action uploadKpiAction", expect: kpiWrite, call: (ctx) => uploadKpiFile(ctx, { name: "k.csv", size: 30, text: async () => `kpi,date,value\n${kpi},2026-03-02,2\n` }, "sum") },
    { entry: "action defineKpiAction", expect: kpiWrite, call: (ctx) => defineKpi(ctx, { key: kpi, name: "Revenue", unit: "USD", aggregation: "sum" }) },
    { entry: "POST /api/kpis/[key]/points", expect: kpiWrite, call: (ctx) => pushKpiPoints(ctx, kpi, async () => ({ points: [{ date: "2026-03-03", value: 3 }] })) },
    { entry: "GET /api/teams/[team]/annotations", expect: teamRead, call: (ctx) => listAnnotations(ctx, teamA, { from: "2026-03-01", to: "2026-03-31" }) },
    { entry: "action createAnnotationAction", expect: annotationCreate, call: (ctx) => createAnnotation(ctx, teamA, { starts_on: "2026-03-04", label: "pricing change" }) },
    { entry: "action updateAnnotationAction", expect: annotationEdit, call: (ctx) => updateAnnotation(ctx, annotationId, { starts_on: "2026-03-03", ends_on: "2026-03-05", label: "incident" }) },
    // A deleted annotation is gone for the next actor: each call gets its own, made by the admin.
    {
      entry: "action deleteAnnotationAction",
      expect: annotationEdit,
      call: async (ctx) => deleteAnnotation(ctx, (await createAnnotation(ctxOf("admin"), teamA, { starts_on: "2026-03-06", label: "to delete" })).id),
    },
    { entry: "page /teams/[team]/roadblocks", expect: teamRead, call: (ctx) => getRoadblocksPage(ctx, teamA) },
    { entry: "GET /api/teams/[team]/roadblocks", expect: teamRead, call: (ctx) => listRoadblocks(ctx, teamA, { status: "open" }) },
    { entry: "page /teams/[team]/roadblocks/[id]", expect: teamRead, call: (ctx) => getRoadblockDetail(ctx, teamA, roadblockId) },
    { entry: "page /teams/[team]/items/[key] (roadblocks)", expect: teamRead, call: (ctx) => getItemRoadblocks(ctx, teamA, "ALPHA-1") },
    { entry: "action reportRoadblockAction", expect: annotationCreate, call: (ctx) => reportRoadblock(ctx, teamA, { item: "ALPHA-1", problem: "blocked", proposal: "unblock" }) },
    // Each actor answers its own open roadblock, reported by the admin; "resolved" would end it.
    {
      entry: "action decideRoadblockAction",
      expect: annotationCreate,
      call: async (ctx) => decideRoadblock(ctx, teamA, (await reportRoadblock(ctxOf("admin"), teamA, { item: "ALPHA-1", problem: "blocked", proposal: "unblock" })).id, { decision: "resolved", text: "done" }),
    },
    { entry: "page /teams/[team]/decisions", expect: teamRead, call: (ctx) => getDecisionsPage(ctx, teamA) },
    { entry: "GET /api/teams/[team]/decisions", expect: teamRead, call: (ctx) => listDecisions(ctx, teamA, { from: "2026-03-01", to: "2026-03-31", charts: "1" }) },
    { entry: "page /teams/[team]/decisions/[id]", expect: teamRead, call: (ctx) => getDecisionDetail(ctx, teamA, decisionId) },
    { entry: "action createDecisionAction", expect: annotationCreate, call: (ctx) => createDecision(ctx, teamA, { title: "Pause ALPHA", rationale: "because", items: "ALPHA-1" }) },
    { entry: "page /settings", expect: adminOnly, call: (ctx) => getSettingsView(ctx) },
    { entry: "action createScheduleAction", expect: { ...adminOnly, admin: 200, system: 200 }, call: (ctx) => createSchedule(ctx, { name: uniqueKey("s"), cron: "0 6 * * *", url: "https://example.com/k.csv" }) },
    {
      entry: "CLI source add, action addSourceAction",
      expect: adminOnly,
      call: (ctx) => addSource(ctx, { name: uniqueKey("src"), kind: "linear", team: teamA, secretEnv: "THROUGHLINE_SECRET_MATRIX", settings: { teamKey: "ENG" } }),
    },
    { entry: "CLI source list, page /settings/sources", expect: adminOnly, call: (ctx) => listSources(ctx) },
    {
      entry: "CLI source remove, action removeSourceAction",
      expect: adminOnly,
      call: async (ctx) => {
        const made = await addSource(ctxOf("admin"), { name: uniqueKey("src"), kind: "linear", team: teamA, secretEnv: "THROUGHLINE_SECRET_MATRIX", settings: { teamKey: "ENG" } });
        return removeSource(ctx, made.name);
      },
    },
    {
      entry: "CLI source statuses, source map",
      expect: adminOnly,
      call: async (ctx) => {
        const made = await addSource(ctxOf("admin"), { name: uniqueKey("src"), kind: "linear", team: teamA, secretEnv: "THROUGHLINE_SECRET_MATRIX", settings: { teamKey: "ENG" } });
        await setSourceMapping(ctx, made.name, { s1: { category: "done" } });
        return listSourceStatuses(ctx, made.name);
      },
    },
    {
      entry: "page /settings/sources/[name]",
      expect: adminOnly,
      call: async (ctx) => {
        const made = await addSource(ctxOf("admin"), { name: uniqueKey("src"), kind: "linear", team: teamA, secretEnv: "THROUGHLINE_SECRET_MATRIX", settings: { teamKey: "ENG" } });
        return getSourceDetail(ctx, made.name);
      },
    },
    {
      entry: "action reviewMappingAction",
      expect: adminOnly,
      call: async (ctx) => {
        const made = await addSource(ctxOf("admin"), { name: uniqueKey("src"), kind: "linear", team: teamA, secretEnv: "THROUGHLINE_SECRET_MATRIX", settings: { teamKey: "ENG" } });
        return reviewSourceMapping(ctx, made.name, {});
      },
    },
    {
      entry: "action testSourceAction",
      expect: { ...adminOnly, admin: 400, system: 400 },
      call: async (ctx) => {
        const made = await addSource(ctxOf("admin"), { name: uniqueKey("src"), kind: "linear", team: teamA, secretEnv: "THROUGHLINE_SECRET_MATRIX_UNSET", settings: { teamKey: "ENG" } });
        return testSource(ctx, made.name);
      },
    },
    // Past the door, the sync stops at the unset secret (400): the refusals above it are the point.
    {
      entry: "CLI sync, action syncSourceAction",
      expect: { ...adminOnly, admin: 400, system: 400 },
      call: async (ctx) => {
        const made = await addSource(ctxOf("admin"), { name: uniqueKey("src"), kind: "linear", team: teamA, secretEnv: "THROUGHLINE_SECRET_MATRIX_UNSET", settings: { teamKey: "ENG" } });
        return syncSourceNow(ctx, made.name);
      },
    },
    { entry: "action toggleScheduleAction", expect: adminOnly, call: (ctx) => setScheduleOn(ctx, scheduleId, true) },
    { entry: "action runNowAction", expect: adminOnly, call: (ctx) => runScheduleNow(ctx, -1) },
    { entry: "action setDemoAction", expect: adminOnly, call: (ctx) => setDemoOffered(ctx, true) },
    { entry: "action createUserAction, CLI user add", expect: adminOnly, call: (ctx) => createUser(ctx, { email: `${uniqueKey("u")}@example.com`, name: "U", role: "viewer" }) },
    { entry: "action createInviteAction", expect: adminOnly, call: (ctx) => createInvite(ctx, { email: `${uniqueKey("i")}@example.com`, role: "viewer" }) },
    // Each actor revokes, accepts or changes its own invite or user, made by the admin.
    {
      entry: "action revokeInviteAction",
      expect: adminOnly,
      call: async (ctx) => revokeInvite(ctx, (await createInvite(ctxOf("admin"), { email: `${uniqueKey("i")}@example.com`, role: "viewer" })).id),
    },
    { entry: "page /settings (users and invites)", expect: adminOnly, call: async (ctx) => [await listAccounts(ctx), await listInvites(ctx)] },
    { entry: "action changeUserRoleAction", expect: adminOnly, call: async (ctx) => changeUserRole(ctx, (await makeUser(database, "viewer")).id, "member") },
    { entry: "action changeUserTeamsAction", expect: adminOnly, call: async (ctx) => changeUserTeams(ctx, (await makeUser(database, "viewer")).id, [teamA]) },
    { entry: "action setUserDisabledAction", expect: adminOnly, call: async (ctx) => setUserDisabled(ctx, (await makeUser(database, "viewer")).id, true) },
    // Whoever holds an invite link opens and accepts it: the link is the credential.
    {
      entry: "page /invite/[token]",
      expect: { otherwise: 200 },
      call: async (ctx) => getInvite(ctx, (await createInvite(ctxOf("admin"), { email: `${uniqueKey("i")}@example.com`, role: "viewer" })).path.slice("/invite/".length)),
    },
    {
      entry: "action acceptInviteAction",
      expect: { otherwise: 200 },
      call: async (ctx) =>
        acceptInvite(ctx, (await createInvite(ctxOf("admin"), { email: `${uniqueKey("i")}@example.com`, role: "viewer" })).path.slice("/invite/".length), { name: "New", password: "long enough pw" }),
    },
    { entry: "CLI import history", expect: adminOnly, call: (ctx) => importWorkHistory(ctx, sourceOf(historyDoc(uniqueKey("cli"), "UTC", []))) },
    { entry: "CLI migrate / prepare (day-level facts)", expect: adminOnly, call: (ctx) => buildMissingFacts(ctx) },
    { entry: "page /account", expect: ownTokens, call: (ctx) => getAccountView(ctx) },
    { entry: "action createTokenAction", expect: ownTokens, call: (ctx) => createOwnToken(ctx, { name: "t", scopes: ["metrics:read"] }) },
    // Setup is over once an account exists: refused to everyone alike.
    { entry: "action setupAction", expect: { otherwise: 403 }, call: (ctx) => setupFirstAdmin(ctx, { name: "X", email: "x@example.com", password: "long enough pw" }) },
    { entry: "page /signin", expect: { otherwise: 200 }, call: (ctx) => getSignInOptions(ctx) },
    // The load balancer's check: anyone, and it says nothing of any team.
    { entry: "GET /api/health", expect: { otherwise: 200 }, call: (ctx) => getHealth(ctx) },
    // A share link opens by its token alone, whoever holds it (its own page and image).
    // Its data is the shared view's to show to anyone: the other-team check does not apply.
    { entry: "page /s/[token], its opengraph-image", expect: { otherwise: 200 }, public: true, call: () => openSharedView({ db: database.db, now: new Date() }, shareToken) },
    { entry: "action createShareLinkAction, CLI share create", expect: annotationCreate, call: (ctx) => createShareLink(ctx, { team: teamA, kind: "chart", chart: "cycle-time" }) },
    {
      entry: "page /account and /settings (share links), CLI share list",
      expect: { ...shareWriteRefusals, otherwise: 403, anonymous: 401, "revoked token": 401, admin: 200, member: 200, "member of another team": 200, system: 200 },
      call: (ctx) => listShareLinks(ctx),
    },
    {
      entry: "action revokeShareLinkAction, CLI share revoke",
      expect: annotationEdit,
      // A fresh link of the admin's each time: a revoked one cannot be revoked again.
      call: async (ctx) => revokeShareLink(ctx, (await createShareLink(contextOf(database, actors.get("admin")!), { team: teamA, kind: "dashboard" })).id),
    },
  ];

  for (const { entry, expect: expected, call, public: isPublic } of entries) {
    it(`${entry}: exact status for every actor, and no other team's data`, async () => {
      const seen: Record<string, Status> = {};
      const want: Record<string, Status> = {};
      for (const actor of ACTORS) {
        const { status, body } = await statusOf(call(ctxOf(actor)));
        seen[actor] = status;
        want[actor] = expected[actor] ?? expected.otherwise;
        // Team A's viewer and member never see team B's items or key, nor B's member team A's (a
        // refusal may repeat the key the caller asked for, nothing more).
        const other = actor === "member of another team" ? { items: /ALPHA/, key: teamA } : { items: /BRAVO/, key: teamB };
        if (!isPublic && ["viewer", "member", "token with metrics:read", "member of another team"].includes(actor)) {
          expect(body, `${entry} as ${actor}`).not.toMatch(other.items);
          if (status === 200) expect(body, `${entry} as ${actor}`).not.toContain(other.key);
        }
      }
      expect(seen).toEqual(want);
    });
  }

  it("revokes only its own tokens as a member; an admin revokes any", async () => {
    const member = await makeUser(database, "member", [teamA]);
    const admin = await makeUser(database, "admin");
    const mine = await makeToken(database, member, ["metrics:read"]);
    const theirs = await makeToken(database, admin, ["metrics:read"]);
    const asMember = contextOf(database, await userActor(database, member));
    await expect(revokeToken(asMember, theirs.id)).rejects.toMatchObject({ status: 404 });
    await revokeToken(asMember, mine.id);
    expect(await mine.actor()).toEqual(ANONYMOUS);
    await revokeToken(contextOf(database, await userActor(database, admin)), theirs.id);
    expect(await theirs.actor()).toEqual(ANONYMOUS);
  });

  it("never lets a token do more than its owner: a member cannot grant kpis:write", async () => {
    const member = await makeUser(database, "member", [teamA]);
    await expect(createOwnToken(contextOf(database, await userActor(database, member)), { name: "x", scopes: ["kpis:write"] })).rejects.toMatchObject({ status: 403 });
  });

  it("drops a disabled user's session and tokens at the next request", async () => {
    const member = await makeUser(database, "member", [teamA]);
    const token = await makeToken(database, member, ["metrics:read"]);
    expect((await token.actor()).kind).toBe("token");
    const { users } = await import("../../lib/db/schema");
    const { eq } = await import("drizzle-orm");
    await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, member.id));
    expect(await token.actor()).toEqual(ANONYMOUS);
    expect(await actorForSession(database.db, database.engine, { userId: member.id })).toEqual(ANONYMOUS);
  });

  it("lists only the teams a limited viewer may see, and every team to an admin", async () => {
    const teams = async (name: ActorName) => (await listVisibleTeams(ctxOf(name))).map((t) => t.key);
    expect(await teams("viewer")).toEqual([teamA]);
    expect(await teams("member of another team")).toEqual([teamB]);
    expect(await teams("admin")).toEqual(expect.arrayContaining([teamA, teamB]));
  });
});
