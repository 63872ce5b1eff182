/** Route params may arrive encoded or not; a stray "%" must not turn into an error page. */
export function decodedParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
