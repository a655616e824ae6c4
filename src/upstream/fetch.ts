import { decodeBody } from "../parse/charset.js";
import { isPrivateHost } from "./address.js";

/** An upstream fetch failed: network error, timeout, refused address, HTTP error or size cap. */
export class UpstreamError extends Error {
  override name = "UpstreamError";
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

export interface FetchOptions {
  /** Validators from the last good response, for a conditional GET. */
  etag?: string;
  lastModified?: string;
  /** Serves urls that start with "/" (files bundled with the worker). */
  assets?: Fetcher;
  allowPrivate?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

export type FetchResult =
  | { notModified: true; status: 304 }
  | {
      notModified: false;
      status: number;
      /** The body as received, and its declared type: what the refresh reads (parse/scanFeedBytes). */
      raw: Uint8Array;
      contentType?: string;
      /** The body decoded (BOM, XML declaration, HTTP charset, else UTF-8), on first access. */
      readonly body: string;
      bytes: number;
      etag?: string;
      lastModified?: string;
      url: string;
    };

export const USER_AGENT = "feedslice/0.1 (digest feed splitter)";
const MAX_REDIRECTS = 5;

/**
 * GET an upstream feed. Redirects are followed by hand so that every hop is checked against the
 * private-address rule; the body is read up to `maxBytes`, and decoded (BOM, XML declaration,
 * HTTP charset, else UTF-8) only if asked for.
 */
export async function fetchUpstream(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const { timeoutMs = 20_000, maxBytes = 20 * 1024 * 1024 } = opts;
  const headers: Record<string, string> = {
    "User-Agent": USER_AGENT,
    Accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
  };
  if (opts.etag) headers["If-None-Match"] = opts.etag;
  if (opts.lastModified) headers["If-Modified-Since"] = opts.lastModified;
  const signal = AbortSignal.timeout(timeoutMs);

  let res: Response;
  let current = url;
  try {
    if (url.startsWith("/")) {
      if (!opts.assets) throw new UpstreamError(`${url} names a bundled file, but the worker has no ASSETS binding`);
      res = await opts.assets.fetch(new Request(new URL(url, "https://assets.invalid"), { headers, signal }));
    } else {
      for (let hop = 0; ; hop++) {
        checkAddress(current, opts.allowPrivate);
        res = await fetch(current, { headers, signal, redirect: "manual" });
        const location = res.headers.get("Location");
        if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) break;
        if (hop >= MAX_REDIRECTS) throw new UpstreamError(`more than ${MAX_REDIRECTS} redirects from ${url}`);
        await res.body?.cancel();
        current = new URL(location, current).href;
      }
    }
  } catch (e) {
    if (e instanceof UpstreamError) throw e;
    const err = e as Error;
    if (err.name === "TimeoutError" || err.name === "AbortError") throw new UpstreamError(`no answer from ${current} within ${timeoutMs} ms`);
    throw new UpstreamError(`could not fetch ${current}: ${err.message}`);
  }

  if (res.status === 304) {
    await res.body?.cancel();
    return { notModified: true, status: 304 };
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new UpstreamError(`${current} answered HTTP ${res.status}`, res.status);
  }
  const bytes = await readCapped(res, maxBytes, current);
  const contentType = res.headers.get("Content-Type") ?? undefined;
  let body: string | undefined;
  return {
    notModified: false,
    status: res.status,
    raw: bytes,
    contentType,
    get body() {
      return (body ??= decodeBody(bytes, contentType));
    },
    bytes: bytes.byteLength,
    etag: res.headers.get("ETag") ?? undefined,
    lastModified: res.headers.get("Last-Modified") ?? undefined,
    url: current,
  };
}

function checkAddress(url: string, allowPrivate = false): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UpstreamError(`not a valid URL: ${url}`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new UpstreamError(`only http and https upstreams are fetched, not ${u.protocol}`);
  if (!allowPrivate && isPrivateHost(u.hostname)) {
    throw new UpstreamError(`refused to fetch ${u.host}: loopback and private-network upstreams are off (ALLOW_PRIVATE_UPSTREAMS)`);
  }
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get("Content-Length"));
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new UpstreamError(`${url} is ${declared} bytes, over the ${maxBytes}-byte cap`);
  }
  if (!res.body) return new Uint8Array();
  // A body whose length is known (not encoded: the length is the body's) is read whole by the
  // runtime. That is also the only read that detaches no buffer: V8 answers the first detached
  // ArrayBuffer of an isolate by checking every typed-array access from then on, a fifth more
  // CPU for every ingest after it (BENCHMARKS.md, "Never detach an ArrayBuffer").
  if (res.headers.has("Content-Length") && Number.isSafeInteger(declared) && !isEncoded(res)) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw new UpstreamError(`${url} is over the ${maxBytes}-byte cap`);
    return bytes;
  }
  // Else in a few large reads where the runtime can (workerd's readAtLeast, whose reads detach
  // the buffers they fill): a JavaScript read per network chunk (4 KB) costs more CPU than
  // everything else a refresh does.
  const byob = byobReader(res.body);
  if (byob) return readLarge(byob, maxBytes, url);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new UpstreamError(`${url} is over the ${maxBytes}-byte cap`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Whether the body was sent compressed (the runtime decodes it; Content-Length is the compressed length). */
function isEncoded(res: Response): boolean {
  const encoding = res.headers.get("Content-Encoding");
  return encoding !== null && encoding.trim().toLowerCase() !== "identity";
}

type LargeReader = ReadableStreamBYOBReader & { readAtLeast: NonNullable<ReadableStreamBYOBReader["readAtLeast"]> };

function byobReader(body: ReadableStream<Uint8Array>): LargeReader | undefined {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: "byob" });
  } catch {
    return undefined; // not a byte stream
  }
  if (typeof (reader as Partial<LargeReader>).readAtLeast === "function") return reader as LargeReader;
  reader.releaseLock();
  return undefined;
}

/** Read into one growing buffer, at least 256 KB a read, stopping one byte past the cap. */
async function readLarge(reader: LargeReader, maxBytes: number, url: string): Promise<Uint8Array> {
  let buffer = new ArrayBuffer(Math.min(1 << 20, maxBytes + 1));
  let total = 0;
  for (;;) {
    if (total === buffer.byteLength) {
      if (total > maxBytes) {
        await reader.cancel();
        throw new UpstreamError(`${url} is over the ${maxBytes}-byte cap`);
      }
      const bigger = new ArrayBuffer(Math.min(buffer.byteLength * 2, maxBytes + 1));
      new Uint8Array(bigger).set(new Uint8Array(buffer));
      buffer = bigger;
    }
    const room = buffer.byteLength - total;
    const { done, value } = await reader.readAtLeast(Math.min(room, 1 << 18), new Uint8Array(buffer, total, room));
    if (value) {
      buffer = value.buffer as ArrayBuffer; // the view's buffer was transferred to the read
      total += value.byteLength;
    }
    if (done) break;
  }
  if (total > maxBytes) throw new UpstreamError(`${url} is over the ${maxBytes}-byte cap`);
  return new Uint8Array(buffer, 0, total);
}
