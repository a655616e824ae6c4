import type { FeedStatus } from "../storage/kv.js";

/**
 * Answer a conditional request: If-None-Match against the response's ETag (weak comparison, as
 * RFC 9110 asks for GET), else If-Modified-Since against its Last-Modified. 304 keeps the
 * validators and caching headers and drops the body.
 */
export function conditional(request: Request, response: Response): Response {
  const etag = response.headers.get("ETag");
  const inm = request.headers.get("If-None-Match");
  let notModified = false;
  if (inm !== null) {
    const strip = (t: string) => t.trim().replace(/^W\//, "");
    notModified = !!etag && (inm.trim() === "*" || inm.split(",").some((t) => strip(t) === strip(etag)));
  } else {
    const ims = Date.parse(request.headers.get("If-Modified-Since") ?? "");
    const lm = Date.parse(response.headers.get("Last-Modified") ?? "");
    notModified = !Number.isNaN(ims) && !Number.isNaN(lm) && lm <= ims;
  }
  if (!notModified) return response;
  const headers = new Headers();
  for (const name of ["ETag", "Last-Modified", "Cache-Control", "Vary", "X-Feedslice-Refreshed", "X-Feedslice-Stale", "X-Feedslice-Data-Age"]) {
    const v = response.headers.get(name);
    if (v !== null) headers.set(name, v);
  }
  return new Response(null, { status: 304, headers });
}

/**
 * While upstream is failing, say so and say how old the data is. Added on the way out (never
 * stored in the cache): the data is the last good one.
 */
export function withFreshness(response: Response, status: FeedStatus | null, refreshedAt: string | undefined, now = Date.now()): Response {
  if (!status?.failures) return response;
  const res = new Response(response.body, response);
  const since = refreshedAt ?? status.lastSuccess;
  const age = since ? Math.max(0, Math.round((now - Date.parse(since)) / 1000)) : undefined;
  if (age !== undefined) res.headers.set("X-Feedslice-Data-Age", String(age));
  res.headers.set(
    "X-Feedslice-Stale",
    `upstream failing since ${status.failingSince} (${status.failures} attempts: ${status.lastError}); serving data from ${since ?? "an earlier fetch"}`.replace(/[\r\n]+/g, " "),
  );
  return res;
}

export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/** Bodies smaller than this are sent as they are: compressing them saves less than it costs. */
const COMPRESS_FROM = 1024;

/**
 * A response compressed with gzip when the client accepts it, whatever the format: the Workers
 * runtime encodes the body itself when Content-Encoding says gzip (its `encodeBody: "automatic"`),
 * rather than leaving it to the edge's list of types it compresses (which does not hold every
 * feed type, and `wrangler dev` has none).
 */
export function compressed(request: Request, response: Response): Response {
  if (response.status !== 200 || !response.body || response.headers.has("Content-Encoding")) return response;
  const res = new Response(response.body, response);
  res.headers.append("Vary", "Accept-Encoding");
  const length = Number(response.headers.get("Content-Length") ?? Infinity);
  if (!/\bgzip\b/.test(clientAcceptEncoding(request)) || length < COMPRESS_FROM) return res;
  res.headers.set("Content-Encoding", "gzip");
  res.headers.delete("Content-Length");
  return res;
}

/**
 * What the client itself accepts. Cloudflare (and `wrangler dev`, which does the same) hands a
 * Worker `Accept-Encoding: br, gzip` whatever the client sent, and keeps the client's own header
 * in `cf.clientAcceptEncoding` ("" when it sent none): a reader that asked for no compression
 * must not get gzip.
 */
function clientAcceptEncoding(request: Request): string {
  const cf = request.cf as { clientAcceptEncoding?: string } | undefined;
  return cf?.clientAcceptEncoding ?? request.headers.get("Accept-Encoding") ?? "";
}
