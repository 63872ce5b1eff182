// Table data → a CSV file the browser downloads.
// Loaded on the first click on CSV (components/dashboard/chart-card.tsx), not with the page.
import { stringify } from "csv-stringify/browser/esm/sync";
import { cell, type TableRow } from "./table";

export function toCsv(columns: string[], rows: readonly TableRow[]): string {
  return stringify(
    rows.map((r) => columns.map((c) => cell(r, c) ?? "")),
    // A cell starting with = + - @ (or a tab or CR) gets a leading ' so a spreadsheet shows it
    // as text: item titles come from trackers and must not run as formulas.
    { header: true, columns, escape_formulas: true },
  );
}

export function downloadCsv(filename: string, columns: string[], rows: readonly TableRow[]): void {
  const url = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
