// Limits a browser checks before it sends, and the server checks again. No I/O: shared by both.

/** The most a KPI file upload may hold (server actions accept 21 MB: the file plus its form). */
export const MAX_KPI_UPLOAD_BYTES = 20 * 1024 * 1024;

export const KPI_UPLOAD_TOO_LARGE = "The file is larger than 20 MB: use `npx throughline import kpi FILE` instead.";
