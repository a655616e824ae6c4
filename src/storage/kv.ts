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
  /** Entries the last refresh left for later (its parse budget spent): the follow-up cron goes on with them. */
  pending?: number;
}

/** A feed's state as stored: what buildState made, and what the last upstream fetch looked like. */
export type StoredState = FeedState & { fetch: UpstreamMeta };

/** Every KV key feedslice reads and writes, spelled once. */
export const KEYS = {
  state: (feed: string) => `state:${feed}`,
  /** The prefix of a feed's issue bodies; an issue's is the prefix and its `StoredIssue.key`. */
  issues: (feed: string) => `issue:${feed}:`,
  upstream: (feed: string) => `upstream:${feed}`,
  status: (feed: string) => `status:${feed}`,
  /** An issue's translated units into one language (src/storage/translations.ts). */
  translation: (feed: string, lang: string, issueIdHash: string) => `tr:${feed}:${lang}:${issueIdHash}`,
  /** Characters sent to a translation provider on one UTC day. */
  budget: (provider: string, day: string) => `budget:${provider}:${day}`,
} as const;

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

  /** The stored state; null when there is none, or when what is stored cannot be read as one (then it is rebuilt). */
  async getState(): Promise<StoredState | null> {
    const v = await this.readJson(KEYS.state(this.feedId));
    return isFeedState(v) ? v : null;
  }

  putState(state: StoredState): Promise<void> {
    return this.kv.put(KEYS.state(this.feedId), JSON.stringify(state));
  }

  getIssueHtml(key: string): Promise<string | null> {
    return this.kv.get(KEYS.issues(this.feedId) + key, "text");
  }

  /** The HTML as a string or as its UTF-8 bytes. */
  putIssueHtml(key: string, html: string | Uint8Array): Promise<void> {
    return this.kv.put(KEYS.issues(this.feedId) + key, html);
  }

  deleteIssue(key: string): Promise<void> {
    return this.kv.delete(KEYS.issues(this.feedId) + key);
  }

  getUpstream(): Promise<Uint8Array | null> {
    return this.kv.get(KEYS.upstream(this.feedId), "arrayBuffer").then((b) => (b ? new Uint8Array(b) : null));
  }

  /** The body's bytes as received (whatever their encoding). */
  putUpstream(body: Uint8Array): Promise<void> {
    return this.kv.put(KEYS.upstream(this.feedId), body);
  }

  /** The stored status; null when there is none or it cannot be read (the next refresh writes it again). */
  async getStatus(): Promise<FeedStatus | null> {
    const v = await this.readJson(KEYS.status(this.feedId));
    return isFeedStatus(v) ? v : null;
  }

  /** Keys (as `StoredIssue.key`) of the issue bodies stored for this feed. */
  async issueKeys(): Promise<Set<string>> {
    const prefix = KEYS.issues(this.feedId);
    const keys = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.kv.list({ prefix, cursor });
      for (const k of page.keys) keys.add(k.name.slice(prefix.length));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return keys;
  }

  private async readJson(key: string): Promise<unknown> {
    const text = await this.kv.get(key, "text");
    if (text === null) return null;
    try {
      return JSON.parse(text);
    } catch {
      console.error(`${key}: not JSON; read as absent`);
      return null;
    }
  }

  putStatus(status: FeedStatus): Promise<void> {
    return this.kv.put(KEYS.status(this.feedId), JSON.stringify(status));
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isOffsets = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((n) => typeof n === "number"));
const isSlice = (v: unknown) =>
  isObject(v) && typeof v.start === "number" && typeof v.end === "number" && typeof v.id === "string" && typeof v.title === "string" && isOffsets(v.open) && isOffsets(v.close);

/** Whether a stored value has the shape every reader of a state relies on. */
function isFeedState(v: unknown): v is StoredState {
  if (!isObject(v) || typeof v.version !== "number" || typeof v.url !== "string" || typeof v.preset !== "string") return false;
  if (typeof v.refreshedAt !== "string" || !isObject(v.upstream) || !Array.isArray(v.issues)) return false;
  if (!(isObject(v.fetch) && typeof v.fetch.bodyHash === "string" && typeof v.fetch.url === "string" && typeof v.fetch.fetchedAt === "string")) return false;
  return v.issues.every(
    (i: unknown) =>
      isObject(i) &&
      typeof i.key === "string" &&
      typeof i.id === "string" &&
      typeof i.title === "string" &&
      typeof i.date === "string" &&
      typeof i.link === "string" &&
      Array.isArray(i.categories) &&
      i.categories.every((c: unknown) => typeof c === "string") &&
      isObject(i.split) &&
      Array.isArray(i.split.sections) &&
      i.split.sections.every((s: unknown) => isSlice(s) && Array.isArray((s as { topics: unknown }).topics) && (s as { topics: unknown[] }).topics.every(isSlice)),
  );
}

function isFeedStatus(v: unknown): v is FeedStatus {
  return isObject(v) && typeof v.failures === "number" && (v.token === undefined || typeof v.token === "string") && (v.pending === undefined || typeof v.pending === "number");
}
