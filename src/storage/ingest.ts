import { hash53, hashBytes } from "../lib/hash.js";
import { ParseError, scanFeedBytes } from "../parse/index.js";
import type { FeedConfig } from "../upstream/config.js";
import { buildState, type BuiltState, type FeedState } from "./state.js";

/**
 * Read an upstream body into a feed state: what a refresh does before it writes anything (the
 * benchmark measures this). `bodyHash` identifies the body: for a feed read from bytes, a hash of
 * its layout (which holds every entry's hash), else of the bytes.
 */
export function ingest(
  cfg: Pick<FeedConfig, "url" | "preset">,
  body: Uint8Array,
  contentType: string | undefined,
  url: string,
  now: string,
  previous: FeedState | null,
  stopAtKnown: boolean,
): BuiltState & { bodyHash: string } {
  const feed = scanFeedBytes(body, contentType, url.startsWith("/") ? new URL(url, "https://assets.invalid").href : url);
  const built = buildState(feed, { url: cfg.url, preset: cfg.preset, now, previous: previous ?? undefined, stopAtKnown });
  if (built.state.issues.length === 0) throw new ParseError(`${cfg.url} is a feed with no items; keeping the last good data`);
  const { layout } = built.state;
  const bodyHash = layout ? hash53(JSON.stringify(layout)) : hashBytes(body);
  return { ...built, bodyHash };
}
