import { hash53, hashBytes } from "../lib/hash.js";
import { type FeedSource, ParseError, scanFeed, scanFeedBytes } from "../parse/index.js";
import type { FeedConfig } from "../upstream/config.js";
import { buildState } from "./build.js";
import { type BuiltState, type FeedState } from "./state.js";

/** How `ingest` reads a body: where it came from, when, and what the refresh knows already. */
export interface IngestOptions {
  /** The response's Content-Type (for its charset). */
  contentType?: string;
  /** Where the body came from: the base of relative links. */
  url: string;
  /** The refresh's time (ISO): an undated entry's date when first seen. */
  now: string;
  /** The stored state: unchanged entries are reused from it. */
  previous?: FeedState | null;
  /** Stop reading at the first entry the previous body had too (see `buildState`); a forced refresh reads every entry. */
  stopAtKnown?: boolean;
  /** Bytes of entries parsed at most (PARSE_BUDGET_BYTES); the rest is left for the next refresh. */
  maxParseBytes?: number;
  /** Keys of previous issues whose body is missing from KV: parsed again, their bodies written. */
  missing?: Set<string>;
}

/**
 * Read an upstream body into a feed state: what a refresh does before it writes anything (the
 * benchmark measures this). `bodyHash` identifies the body: for a feed read from bytes, a hash of
 * its layout (which holds every entry's hash), else of the bytes.
 */
export function ingest(cfg: Pick<FeedConfig, "url" | "preset" | "titles" | "split">, body: Uint8Array, opts: IngestOptions): BuiltState & { bodyHash: string } {
  const feed = scanFeedBytes(body, opts.contentType, baseUrl(opts.url));
  const built = build(cfg, feed, opts);
  const { layout } = built.state;
  const bodyHash = layout ? hash53(JSON.stringify(layout)) : hashBytes(body);
  return { ...built, bodyHash };
}

/** `ingest` for a body kept as decoded text (as upstream bodies were stored before state version 3). */
export function ingestText(cfg: Pick<FeedConfig, "url" | "preset" | "titles" | "split">, body: string, opts: Pick<IngestOptions, "url" | "now" | "previous">): BuiltState & { bodyHash: string } {
  return { ...build(cfg, scanFeed(body, baseUrl(opts.url)), opts), bodyHash: hash53(body) };
}

function build(cfg: Pick<FeedConfig, "url" | "preset" | "titles" | "split">, feed: FeedSource, opts: IngestOptions): BuiltState {
  const { now, stopAtKnown, maxParseBytes, missing } = opts;
  const built = buildState(feed, { url: cfg.url, preset: cfg.preset, titles: cfg.titles, split: cfg.split, now, previous: opts.previous ?? undefined, stopAtKnown, maxParseBytes, missing });
  if (built.state.issues.length === 0) throw new ParseError(`${cfg.url} is a feed with no items; keeping the last good data`);
  return built;
}

/** Bundled files ("/…") resolve their relative links against a placeholder origin. */
function baseUrl(url: string): string {
  return url.startsWith("/") ? new URL(url, "https://assets.invalid").href : url;
}
