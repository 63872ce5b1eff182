/** Route params may arrive encoded or not; a stray "%" must not turn into an error page. */
export function decodedParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A page's own address with its query string, to come back to after signing in. */
export function pathWithSearch(path: string, search: Record<string, string | string[] | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(search)) {
    for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) p.append(k, one);
  }
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}
