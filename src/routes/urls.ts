import { canonicalQuery, type Query } from "../filter/index.js";
import type { Format } from "../model.js";
import { FORMATS } from "../render/index.js";
import type { StoredState } from "../storage/kv.js";
import type { FeedConfig } from "../upstream/config.js";

/** What a feed is called: its configured title, else the upstream's, else its id. */
export function feedTitle(cfg: FeedConfig, state?: StoredState): string {
  return cfg.title || state?.upstream.title || cfg.id;
}

/** Canonical URLs of a feed in each format: the path with an extension, the canonical query. */
export function feedUrls(base: URL, feedId: string, section?: string, query?: Query): Record<Format, string> {
  const qs = query ? canonicalQuery(query) : "";
  const path = `/feeds/${encodeURIComponent(feedId)}${section ? `/${encodeURIComponent(section)}` : ""}`;
  const out = {} as Record<Format, string>;
  for (const f of FORMATS) out[f] = new URL(`${path}.${f}${qs}`, base).href;
  return out;
}
