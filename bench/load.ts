// Loopback load on `next start` (embedded database, demo data): one share link and one signed-in
// dashboard at 50 connections — requests/s, p95 latency, errors — with the server's peak memory.
import autocannon from "autocannon";

export interface LoadResult {
  path: string;
  requests: number;
  requestsPerSecond: number;
  p95Ms: number;
  errors: number;
  non2xx: number;
}

export async function loadTest(url: string, headers: Record<string, string> = {}, seconds = 15, connections = 50): Promise<LoadResult> {
  // autocannon's summary has p90 and p97.5, not p95: every response time is kept to take it exactly.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    path: new URL(url).pathname,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / seconds,
    p95Ms: times.length ? times[Math.ceil(0.95 * times.length) - 1]! : NaN,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
