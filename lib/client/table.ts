// A chart's table: rows of plain objects, read by column name (the table view and the CSV).

/** Any plain object: a row of a chart's table. */
export type TableRow = object;

export function cell(row: TableRow, column: string): unknown {
  return (row as Record<string, unknown>)[column];
}
