import { hash53 } from "../lib/hash.js";
import { STATE_VERSION } from "./state.js";

/** The Cache API's default cache, where there is one (custom domains; not *.workers.dev, not Node). */
export function edgeCache(): Cache | undefined {
  return typeof caches === "undefined" ? undefined : (caches as unknown as { default: Cache }).default;
}

/**
 * The Cache API key of a rendered feed: its canonical URL, the state version (after a deploy that
 * changes it, a feed is re-split rather than served as the old code rendered it), the data's
 * token, and for a translation who translates (another provider or model is another entry).
 */
export function renderedFeedKey(canonical: string, token: string, opts: { version?: number; translator?: string } = {}): string {
  const by = opts.translator ? `&__tr=${hash53(opts.translator)}` : "";
  return `${canonical}${canonical.includes("?") ? "&" : "?"}__data=${opts.version ?? STATE_VERSION}.${token}${by}`;
}
