import type { FeedState } from "./state.js";

/** What the last upstream fetch looked like; kept in the state for conditional GETs. */
export interface UpstreamMeta {
  url: string;
  fetchedAt: string;
  bytes: number;
  bodyHash: string;
  etag?: string;
  lastModified?: string;
  /** The response's Content-Type (its charset, to read the stored body again). */
  contentType?: string;
  /** "bytes": `upstream:` holds the body as received; absent: its decoded text (state version 2). */
  stored?: "bytes";
}

/**
 * How a feed's refreshes are going. Written only when something happens (new data, a failure,
 * a recovery): an unchanged refresh writes nothing.
 */
export interface FeedStatus {
  /** Identifies the data being served; changes whenever the state does (cache keys use it). */
  token?: string;
  /** Last refresh that brought new data, and last time the data changed. */
  lastSuccess?: string;
  lastAttempt?: string;
  /** Last upstream HTTP status seen (200, 304, 5xx…). */
  httpStatus?: number;
  /** Consecutive failed refreshes, since when, why, and when the next try is due (backoff). */
  failures: number;
  failingSince?: string;
  lastError?: string;
  nextAttempt?: string;
}

/**
 * A feed's data in Workers KV, under keys that start with the feed id:
 *   state:<feed>            FeedState JSON: issues, splits, upstream validators (read by a request
 *                           unless its isolate kept it: src/routes/state.ts)
 *   issue:<feed>:<key>      one issue's HTML, written once per content version
 *   upstream:<feed>         the last upstream body, to re-split after an upgrade without refetching
 *   status:<feed>           FeedStatus JSON: data token, failures and backoff (small; read per request)
 */
export class FeedStore {
  constructor(
    private readonly kv: KVNamespace,
    readonly feedId: string,
  ) {}

  getState(): Promise<(FeedState & { fetch?: UpstreamMeta }) | null> {
    return this.kv.get(`state:${this.feedId}`, "json");
  }

  putState(state: FeedState & { fetch: UpstreamMeta }): Promise<void> {
    return this.kv.put(`state:${this.feedId}`, JSON.stringify(state));
  }

  getIssueHtml(key: string): Promise<string | null> {
    return this.kv.get(`issue:${this.feedId}:${key}`, "text");
  }

  /** The HTML as a string or as its UTF-8 bytes. */
  putIssueHtml(key: string, html: string | Uint8Array): Promise<void> {
    return this.kv.put(`issue:${this.feedId}:${key}`, html);
  }

  deleteIssue(key: string): Promise<void> {
    return this.kv.delete(`issue:${this.feedId}:${key}`);
  }

  getUpstream(): Promise<Uint8Array | null> {
    return this.kv.get(`upstream:${this.feedId}`, "arrayBuffer").then((b) => (b ? new Uint8Array(b) : null));
  }

  /** The body's bytes as received (whatever their encoding). */
  putUpstream(body: Uint8Array): Promise<void> {
    return this.kv.put(`upstream:${this.feedId}`, body);
  }

  getStatus(): Promise<FeedStatus | null> {
    return this.kv.get(`status:${this.feedId}`, "json");
  }

  putStatus(status: FeedStatus): Promise<void> {
    return this.kv.put(`status:${this.feedId}`, JSON.stringify(status));
  }
}
