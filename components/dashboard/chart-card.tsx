"use client";

import { useId, useState } from "react";
import { cell, type TableRow } from "@/lib/client/table";
import { ShareButton } from "../share/share-button";
import { useShareMode } from "../share/share-mode";

interface ChartCardProps {
  id: string;
  /** Extra class on the card, e.g. "card-wide" to span the grid. */
  className?: string;
  title: string;
  /** One line on how to read the chart. */
  explanation: string;
  status: "pending" | "error" | "success";
  error?: Error | null;
  onRetry?: () => void;
  empty?: boolean;
  emptyMessage?: string;
  columns: string[];
  rows: readonly TableRow[];
  csvName: string;
  /** Headline shown beside the title (e.g. "85% in 9 days or less"). */
  summary?: React.ReactNode;
  children: React.ReactNode;
}

/** Frame of every chart: title, how to read it, chart or table, CSV, loading/empty/error states. */
export function ChartCard(props: ChartCardProps) {
  const [view, setView] = useState<"chart" | "table">("chart");
  const headingId = useId();
  const { share } = useShareMode();
  return (
    <section className={props.className ? `card ${props.className}` : "card"} aria-labelledby={headingId} data-testid={`card-${props.id}`} data-status={props.status}>
      <header className="card-head">
        <div>
          <h2 id={headingId}>{props.title}</h2>
          <p className="explain">{props.explanation}</p>
        </div>
        <div className="card-actions">
          <button type="button" onClick={() => setView(view === "chart" ? "table" : "chart")} aria-pressed={view === "table"} disabled={props.status !== "success"}>
            {view === "chart" ? "Table" : "Chart"}
          </button>
          <button type="button" onClick={() => void import("@/lib/client/csv").then((csv) => csv.downloadCsv(props.csvName, props.columns, props.rows))} disabled={props.status !== "success" || props.rows.length === 0}>
            CSV
          </button>
          {share ? <ShareButton target={{ ...share.target, kind: "chart", chart: props.id }} create={share.create} /> : null}
        </div>
      </header>
      {props.summary && props.status === "success" ? <p className="summary">{props.summary}</p> : null}
      {props.status === "pending" ? (
        <div className="skeleton" aria-busy="true" aria-label={`Loading ${props.title}`} />
      ) : props.status === "error" ? (
        <div className="error" role="alert">
          <p>Could not load this chart: {props.error?.message ?? "unknown error"}</p>
          {props.onRetry ? (
            <button type="button" onClick={props.onRetry}>
              Retry
            </button>
          ) : null}
        </div>
      ) : props.empty ? (
        <p className="empty-chart">{props.emptyMessage ?? "No data in this range."}</p>
      ) : view === "table" ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={`${props.title} data`}>
          <table>
            <thead>
              <tr>
                {props.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r, i) => (
                <tr key={i}>
                  {props.columns.map((c) => (
                    <td key={c}>{cell(r, c) === null || cell(r, c) === undefined ? "–" : String(cell(r, c))}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div className="chart" data-testid={`chart-${props.id}`}>
          {props.children}
        </div>
      )}
    </section>
  );
}
