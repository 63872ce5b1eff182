// Reading a request body with a cap: refused from its Content-Length when that says too much, and
// cut off when a body without one grows past the cap.
import "server-only";
import { AppError } from "../errors";

function tooLarge(maxBytes: number): AppError {
  return new AppError("TOO_LARGE", `the body is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB: send fewer points per request`, [{ where: "body", message: "too large" }]);
}

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", 'the body must be JSON: { "points": [{ "date": "YYYY-MM-DD", "value": 1 }] }', [{ where: "body", message: "not JSON" }]);
  }
}
