import type { Env } from "../env.js";
import { rebuildFeed, refreshFeed, type StoredState } from "../storage/refresh.js";
import { FeedStore } from "../storage/kv.js";
import { STATE_VERSION } from "../storage/state.js";
import { type FeedConfig, readFeedsConfig } from "../upstream/config.js";
import { HttpError } from "./errors.js";
import { oneOf } from "../lib/text.js";

/** First fetches in progress in this isolate: concurrent first requests share one. */
const inflight = new Map<string, Promise<StoredState>>();

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
 * fetched (or its URL changed), re-split from the stored body after an upgrade.
 */
export async function loadState(env: Env, cfg: FeedConfig): Promise<StoredState> {
  const stored = (await new FeedStore(env.KV, cfg.id).getState()) as StoredState | null;
  if (stored && stored.url === cfg.url && stored.version === STATE_VERSION && stored.preset === cfg.preset) return stored;
  let pending = inflight.get(cfg.id);
  if (!pending) {
    pending = (stored && stored.url === cfg.url ? rebuildFeed(env, cfg, stored) : refreshFeed(env, cfg).then((r) => r.state))
      .catch((e: Error) => {
        if (stored) return stored; // keep serving the last good data
        throw new HttpError(502, `Feed "${cfg.id}" has not been fetched yet and its upstream failed: ${e.message}`);
      })
      .finally(() => inflight.delete(cfg.id));
    inflight.set(cfg.id, pending);
  }
  return pending;
}
