import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getItemDetail, type ItemDetail } from "@/lib/metrics/item-detail";
import { decodedParam } from "@/lib/views/route-params";

type Props = { params: Promise<{ team: string; key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { key } = await params;
  return { title: decodedParam(key) };
}

async function load(team: string, key: string, asOf: Date): Promise<ItemDetail | null> {
  try {
    return await getItemDetail(await getDb(), team, key, asOf);
  } catch (error) {
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "TEAM_NOT_FOUND")) return null;
    throw error;
  }
}

export default async function ItemPage({ params, searchParams }: Props) {
  await connection();
  const [{ team, key }, search] = await Promise.all([params, searchParams]);
  const asOfParam = typeof search.as_of === "string" && !Number.isNaN(Date.parse(search.as_of)) ? search.as_of : undefined;
  const item = await load(decodedParam(team), decodedParam(key), asOfParam ? new Date(asOfParam) : new Date());
  if (!item) notFound();
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Teams</Link> / <Link href={`/teams/${encodeURIComponent(item.team.key)}`}>{item.team.name}</Link> / <span>{item.key}</span>
      </nav>
      <h1>
        {item.key}: {item.title}
      </h1>
      <p className="lede">
        {item.type} · now <strong data-testid="item-status">{item.status ?? "not on the board yet"}</strong>
        {item.milestone ? ` · milestone ${item.milestone}` : ""}
        {item.url ? (
          <>
            {" · "}
            <a href={item.url} rel="noreferrer" target="_blank">
              open in the tracker
            </a>
          </>
        ) : null}
      </p>
      <dl className="facts">
        <dt>Started</dt>
        <dd>{item.started_at ?? "not started"}</dd>
        <dt>Finished</dt>
        <dd>{item.finished_at ? `${item.finished_at}${item.discarded ? " (discarded)" : ""}` : "not finished"}</dd>
        {item.cycle_time_days !== null ? (
          <>
            <dt>Cycle time</dt>
            <dd data-testid="item-cycle-time">
              {item.cycle_time_days} days ({item.cycle_time_hours} hours)
            </dd>
          </>
        ) : null}
        {item.age_days !== null ? (
          <>
            <dt>Age</dt>
            <dd>{item.age_days} days in progress</dd>
          </>
        ) : null}
        <dt>Blocked</dt>
        <dd>
          {item.blocked_hours} hours
          {item.open_blocker ? ` — blocked since ${item.open_blocker.since}${item.open_blocker.reasons.length ? ` (${item.open_blocker.reasons.join("; ")})` : ""}` : ""}
        </dd>
      </dl>
      <section className="card">
        <h2>Status timeline</h2>
        <ol className="timeline" data-testid="timeline">
          {item.timeline.map((t, i) => (
            <li key={i} className={`cat-${t.category}`}>
              <time dateTime={t.at}>{t.date}</time> <strong>{t.to}</strong> <span className="muted">({t.category.replace("_", " ")})</span>
              {t.hours_in_status !== null ? <span className="muted"> · {t.hours_in_status} h there</span> : null}
            </li>
          ))}
        </ol>
      </section>
      {item.blocks.length > 0 ? (
        <section className="card">
          <h2>Blocked periods</h2>
          <ul>
            {item.blocks.map((b, i) => (
              <li key={i}>
                {b.start} → {b.end ?? "still open"} {b.reason ? `— ${b.reason}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
