import type { FeedState } from "./state.js";

/** What the last upstream fetch looked like; kept in the state for conditional GETs. */
export interface UpstreamMeta {
  url: string;
  fetchedAt: string;
  bytes: number;
  bodyHash: string;
  etag?: string;
  lastModified?: string;
}

export interface FeedStatus {
  lastAttempt: string;
  lastError?: string;
  httpStatus?: number;
}

/**
 * A feed's data in Workers KV, under keys that start with the feed id:
 *   state:<feed>            FeedState JSON: issues, splits, upstream validators (one read per request)
 *   issue:<feed>:<key>      one issue's HTML, written once per content version
 *   upstream:<feed>         the last upstream body, to re-split after an upgrade without refetching
 *   error:<feed>            the last failed refresh, while it is failing
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

  putIssueHtml(key: string, html: string): Promise<void> {
    return this.kv.put(`issue:${this.feedId}:${key}`, html);
  }

  deleteIssue(key: string): Promise<void> {
    return this.kv.delete(`issue:${this.feedId}:${key}`);
  }

  getUpstream(): Promise<string | null> {
    return this.kv.get(`upstream:${this.feedId}`, "text");
  }

  putUpstream(body: string): Promise<void> {
    return this.kv.put(`upstream:${this.feedId}`, body);
  }

  getError(): Promise<FeedStatus | null> {
    return this.kv.get(`error:${this.feedId}`, "json");
  }

  putError(status: FeedStatus): Promise<void> {
    return this.kv.put(`error:${this.feedId}`, JSON.stringify(status));
  }

  clearError(): Promise<void> {
    return this.kv.delete(`error:${this.feedId}`);
  }
}
