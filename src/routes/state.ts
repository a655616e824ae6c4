import type { Env } from "../env.js";
import { oneOf } from "../lib/text.js";
import { FeedStore, type FeedStatus } from "../storage/kv.js";
import { stateToken } from "../storage/decide.js";
import type { StoredState } from "../storage/kv.js";
import { rebuildFeed, refreshFeed } from "../storage/refresh.js";
import { isCurrent } from "../storage/state.js";
import { ConfigError, type FeedConfig, readFeedsConfig } from "../upstream/config.js";
import { HttpError } from "./errors.js";

/** First fetches in progress in this isolate: concurrent first requests share one. */
const inflight = new Map<string, Promise<StoredState>>();

/**
 * The state each feed's requests last read in this isolate, with its token (`stateToken`): while
 * the feed's status names that token, the state is the same, and a request does not read and
 * parse it again (for the month of AINews, some hundreds of KB of JSON a request). Readers
 * do not change a state.
 */
const lastRead = new Map<string, { token: string; state: StoredState }>();

export function feedConfigs(env: Env): FeedConfig[] {
  return readFeedsConfig(env.FEEDS);
}

export function findFeed(env: Env, id: string): FeedConfig {
  const feeds = feedConfigs(env);
  const cfg = feeds.find((f) => f.id === id);
  if (!cfg) throw new HttpError(404, `No feed "${id}". Feeds here: ${oneOf(feeds.map((f) => f.id))}. See /feeds.`);
  return cfg;
}

/**
 * A feed's state for a request: from KV, fetched from upstream only when the feed was never
 * fetched (or its URL changed), re-split from the stored body after an upgrade. A never-fetched
 * feed whose upstream is failing is not asked again before its backoff ends.
 */
export async function loadState(env: Env, cfg: FeedConfig, status?: FeedStatus | null): Promise<StoredState> {
  const kept = lastRead.get(cfg.id);
  if (kept && status?.token === kept.token && kept.state.url === cfg.url && kept.state.preset === cfg.preset) return kept.state;
  const store = new FeedStore(env.KV, cfg.id);
  const stored = await store.getState();
  if (stored && isCurrent(stored, cfg)) {
    // Kept when it is the state the status names (not one written since, its status not yet).
    if (status?.token && stateToken(stored) === status.token) lastRead.set(cfg.id, { token: status.token, state: stored });
    return stored;
  }
  let pending = inflight.get(cfg.id);
  if (!pending) {
    pending = (async () => {
      if (stored && stored.url === cfg.url) return rebuildFeed(env, cfg, stored);
      const known = status === undefined ? await store.getStatus() : status;
      if (!stored && known?.nextAttempt && known.nextAttempt > new Date().toISOString()) {
        throw new Error(`${known.lastError} (next try after ${known.nextAttempt})`);
      }
      return (await refreshFeed(env, cfg, { force: true })).state!;
    })()
      .catch(async (e: Error) => {
        if (stored) return stored; // keep serving the last good data
        if (e instanceof ConfigError) throw e; // the operator's to mend: a 503 naming the setting
        // A state that could not be read, upstream failing: rebuilt from the stored upstream body, if any.
        const rebuilt = await rebuildFeed(env, cfg, null).catch(() => undefined);
        if (rebuilt) return rebuilt;
        throw new HttpError(502, `Feed "${cfg.id}" has not been fetched yet and its upstream failed: ${e.message}`);
      })
      .finally(() => inflight.delete(cfg.id));
    inflight.set(cfg.id, pending);
  }
  return pending;
}
