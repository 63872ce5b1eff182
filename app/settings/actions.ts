"use server";

import { revalidatePath } from "next/cache";
import { changeUserRole, changeUserTeams, createUser, setUserDisabled } from "@/lib/services/accounts";
import { withAction, withFormAction } from "@/lib/services/entries";
import { createInvite, revokeInvite } from "@/lib/services/invites";
import { createOwnToken, createSchedule, revokeToken, runScheduleNow, setDemoOffered, setScheduleOn } from "@/lib/services/settings";

/** The numeric id a form posted, or null for anything else. */
function formId(form: FormData): number | null {
  const id = Number(form.get("id"));
  return Number.isInteger(id) && id > 0 ? id : null;
}

const text = (form: FormData, k: string) => String(form.get(k) ?? "").trim() || undefined;

export const createTokenAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const scopes = form.getAll("scopes").map(String);
  const { name, token } = await createOwnToken(ctx, { name: text(form, "name") ?? "", scopes });
  revalidatePath("/settings");
  revalidatePath("/account");
  return { ok: `Token "${name}" created. Copy it now: it is not shown again.`, token };
});

export const revokeTokenAction = withFormAction(async (ctx, form: FormData) => {
  const id = formId(form);
  if (id === null) return;
  await revokeToken(ctx, id);
  revalidatePath("/settings");
  revalidatePath("/account");
});

export const createScheduleAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const schedule = await createSchedule(ctx, {
    name: text(form, "name"),
    cron: text(form, "cron"),
    timezone: text(form, "timezone"),
    url: text(form, "url"),
    file: text(form, "file"),
    authEnv: text(form, "authEnv"),
    aggregation: text(form, "aggregation"),
  });
  revalidatePath("/settings");
  return { ok: `Schedule "${schedule.name}" added.` };
});

export const runNowAction = withFormAction(async (ctx, form: FormData) => {
  const id = formId(form);
  if (id === null) return;
  await runScheduleNow(ctx, id);
  revalidatePath("/settings");
});

export const toggleScheduleAction = withFormAction(async (ctx, form: FormData) => {
  const id = formId(form);
  if (id === null) return;
  await setScheduleOn(ctx, id, form.get("enabled") === "true");
  revalidatePath("/settings");
});

export const setDemoAction = withFormAction(async (ctx, form: FormData) => {
  await setDemoOffered(ctx, form.get("offered") === "true");
  revalidatePath("/settings");
});

export const createUserAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const teams = text(form, "teams")
    ?.split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const user = await createUser(ctx, { email: text(form, "email"), name: text(form, "name"), password: text(form, "password"), role: text(form, "role"), teams });
  revalidatePath("/settings");
  return { ok: `${user.name} (${user.email}) can now sign in as ${user.role}.` };
});

/** A team-limit field: empty or "all" for every team, else comma-separated team keys. */
function teamLimit(form: FormData): "all" | string[] {
  const keys = (text(form, "teams") ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return keys.length === 0 || (keys.length === 1 && keys[0]!.toLowerCase() === "all") ? "all" : keys;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export const createInviteAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const teams = teamLimit(form);
  const invite = await createInvite(ctx, { email: text(form, "email"), role: text(form, "role"), teams: teams === "all" ? undefined : teams });
  revalidatePath("/settings");
  return {
    ok: `Invite for ${invite.email} as ${invite.role} made. Send them this link: it works once, until ${day(invite.expiresAt)}, and is not shown again.`,
    token: invite.path,
  };
});

export const revokeInviteAction = withFormAction(async (ctx, form: FormData) => {
  const id = formId(form);
  if (id === null) return;
  await revokeInvite(ctx, id);
  revalidatePath("/settings");
});

export const changeUserRoleAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const id = formId(form);
  if (id === null) return { error: "No such user." };
  const user = await changeUserRole(ctx, id, text(form, "role"));
  revalidatePath("/settings");
  return { ok: `${user.name} is now ${user.role}.` };
});

export const changeUserTeamsAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const id = formId(form);
  if (id === null) return { error: "No such user." };
  const user = await changeUserTeams(ctx, id, teamLimit(form));
  revalidatePath("/settings");
  return { ok: user.teams === "all" ? `${user.name} sees every team.` : `${user.name} sees ${user.teams.join(", ") || "no team"}.` };
});

export const setUserDisabledAction = withAction(async (ctx, _prev: unknown, form: FormData) => {
  const id = formId(form);
  if (id === null) return { error: "No such user." };
  const user = await setUserDisabled(ctx, id, form.get("disabled") === "true");
  revalidatePath("/settings");
  return { ok: user.disabled ? `${user.name} is disabled: signed out at their next request.` : `${user.name} may sign in again.` };
});
