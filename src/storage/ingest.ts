import { hash53, hashBytes } from "../lib/hash.js";
import { type FeedSource, ParseError, scanFeed, scanFeedBytes } from "../parse/index.js";
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
  maxParseBytes?: number,
  missing?: Set<string>,
): BuiltState & { bodyHash: string } {
  const feed = scanFeedBytes(body, contentType, baseUrl(url));
  const built = build(cfg, feed, now, previous, stopAtKnown, maxParseBytes, missing);
  const { layout } = built.state;
  const bodyHash = layout ? hash53(JSON.stringify(layout)) : hashBytes(body);
  return { ...built, bodyHash };
}

/** `ingest` for a body kept as decoded text (as upstream bodies were stored before state version 3). */
export function ingestText(cfg: Pick<FeedConfig, "url" | "preset">, body: string, url: string, now: string, previous: FeedState | null): BuiltState & { bodyHash: string } {
  return { ...build(cfg, scanFeed(body, baseUrl(url)), now, previous, false), bodyHash: hash53(body) };
}

function build(
  cfg: Pick<FeedConfig, "url" | "preset">,
  feed: FeedSource,
  now: string,
  previous: FeedState | null,
  stopAtKnown: boolean,
  maxParseBytes?: number,
  missing?: Set<string>,
): BuiltState {
  const built = buildState(feed, { url: cfg.url, preset: cfg.preset, now, previous: previous ?? undefined, stopAtKnown, maxParseBytes, missing });
  if (built.state.issues.length === 0) throw new ParseError(`${cfg.url} is a feed with no items; keeping the last good data`);
  return built;
}

/** Bundled files ("/…") resolve their relative links against a placeholder origin. */
function baseUrl(url: string): string {
  return url.startsWith("/") ? new URL(url, "https://assets.invalid").href : url;
}
