import type { Env } from "../env.js";
import { hash53 } from "../lib/hash.js";
import { scanFeed } from "../parse/index.js";
import type { FeedConfig } from "../upstream/config.js";
import { fetchUpstream, UpstreamError } from "../upstream/fetch.js";
import { FeedStore, type UpstreamMeta } from "./kv.js";
import { buildState, type FeedState, STATE_VERSION } from "./state.js";

export type StoredState = FeedState & { fetch: UpstreamMeta };

export interface RefreshResult {
  state: StoredState;
  /** False when upstream had nothing new (304, or the same body). */
  changed: boolean;
}

/**
 * Fetch → parse → split → store one feed. Upstream validators make it a conditional GET; an
 * unchanged body writes nothing. On any failure the stored state is left as it was, the error is
 * recorded, and the error is thrown to the caller.
 */
export async function refreshFeed(env: Env, cfg: FeedConfig, now = new Date()): Promise<RefreshResult> {
  const store = new FeedStore(env.KV, cfg.id);
  const previous = (await store.getState()) as StoredState | null;
  const at = now.toISOString();
  try {
    const same = previous?.url === cfg.url ? previous.fetch : undefined;
    const compatible = previous?.version === STATE_VERSION && previous.preset === cfg.preset;
    const res = await fetchUpstream(cfg.url, {
      etag: compatible ? same?.etag : undefined,
      lastModified: compatible ? same?.lastModified : undefined,
      assets: env.ASSETS,
      allowPrivate: env.ALLOW_PRIVATE_UPSTREAMS === "true",
    });
    if (res.notModified) return { state: previous!, changed: false };
    const bodyHash = hash53(res.body);
    if (compatible && same?.bodyHash === bodyHash) return { state: previous!, changed: false };
    const meta: UpstreamMeta = { url: cfg.url, fetchedAt: at, bytes: res.bytes, bodyHash, etag: res.etag, lastModified: res.lastModified };
    const state = await ingest(store, cfg, res.body, res.url, meta, previous);
    await store.putUpstream(res.body);
    if (await store.getError()) await store.clearError();
    return { state, changed: true };
  } catch (e) {
    const err = e as Error;
    await store.putError({ lastAttempt: at, lastError: err.message, httpStatus: (e as UpstreamError).status });
    throw e;
  }
}

/** Re-split the stored upstream body (after an upgrade or a preset change), without fetching. */
export async function rebuildFeed(env: Env, cfg: FeedConfig, previous: StoredState): Promise<StoredState> {
  const store = new FeedStore(env.KV, cfg.id);
  const body = await store.getUpstream();
  if (body === null || previous.url !== cfg.url) return (await refreshFeed(env, cfg)).state;
  return ingest(store, cfg, body, previous.fetch.url, previous.fetch, previous);
}

async function ingest(
  store: FeedStore,
  cfg: FeedConfig,
  body: string,
  url: string,
  meta: UpstreamMeta,
  previous: StoredState | null,
): Promise<StoredState> {
  const feed = scanFeed(body, url.startsWith("/") ? new URL(url, "https://assets.invalid").href : url);
  if (feed.entries.length === 0) throw new UpstreamError(`${cfg.url} is a feed with no items; keeping the last good data`);
  const built = buildState(feed, { url: cfg.url, preset: cfg.preset, now: meta.fetchedAt, previous: previous ?? undefined });
  // Bodies first, state last: a reader never sees a state whose bodies are not written.
  await Promise.all([...built.bodies].map(([key, html]) => store.putIssueHtml(key, html)));
  const state: StoredState = { ...built.state, fetch: meta };
  await store.putState(state);
  await Promise.all(built.dropped.map((key) => store.deleteIssue(key)));
  return state;
}
