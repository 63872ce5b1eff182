// Passing a list to SQL as one parameter, the same way on postgres.js and PGlite.

/** A Postgres array literal ({…}) of one column, passed as a single text parameter. */
export function pgArray(values: readonly (string | number | boolean | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = "NULL";
    else if (typeof v === "string") parts[i] = `"${v.replace(/[\\"]/g, "\\$&")}"`;
    else parts[i] = String(v);
  }
  return `{${parts.join(",")}}`;
}
