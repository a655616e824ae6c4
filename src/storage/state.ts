import type { IssueSplit, UpstreamFeed, UpstreamItem } from "../model.js";
import type { Preset } from "../split/index.js";
import { type SplitSetting, splitKey } from "../split/named.js";

/**
 * Bump when what is stored for an issue changes (the sanitizer's or the splitter's output, the
 * entry hash, the state's shape): stored states of another version are re-split, and their issue
 * bodies written again, from the stored upstream body on the next request, without asking
 * upstream again.
 */
export const STATE_VERSION = 8;

/** Whether a stored state is this code's, made for this upstream and preset: usable as it is (else it is re-split). */
export function isCurrent(state: Pick<FeedState, "version" | "url" | "preset" | "titles" | "split"> | null | undefined, feed: { url: string; preset: Preset; titles?: string; split?: SplitSetting }): boolean {
  return !!state && state.version === STATE_VERSION && state.url === feed.url && state.preset === feed.preset && state.titles === feed.titles && state.split === splitKey(feed.split);
}

/** Longest title (of an issue, a section or a topic) and author kept, in characters; longer ones are cut with "…". */
export const MAX_TITLE_CHARS = 300;
/** Most categories kept per issue, and the longest. */
export const MAX_CATEGORIES = 32;
export const MAX_CATEGORY_CHARS = 100;

/**
 * How many bytes of entries a refresh parses and splits at most, by default (PARSE_BUDGET_BYTES;
 * the newest first, at least one entry): 500 KB, one or two AINews issues, so that a refresh fits
 * the free plan's 10 ms of CPU however many issues are new; the next refresh goes on with the
 * rest (`buildState`). A first fetch also finds every entry, without hashing those it leaves.
 */
export const DEFAULT_PARSE_BUDGET_BYTES = 500_000;

/** An issue as stored: its metadata and how it splits; the HTML is stored apart under `key`. */
export interface StoredIssue extends Omit<UpstreamItem, "html"> {
  /** Storage key of the HTML: hash of the upstream id, then hash of the entry's source. */
  key: string;
  /** Hash of the entry's source text upstream: unchanged source, nothing to parse or split. */
  rawHash: string;
  chars: number;
  split: IssueSplit;
}

/** Everything a request needs to know about a feed, in one KV value. */
export interface FeedState {
  version: number;
  url: string;
  preset: Preset;
  upstream: Pick<UpstreamFeed, "format" | "title" | "link" | "description" | "language">;
  refreshedAt: string;
  /** Newest first. */
  issues: StoredIssue[];
  /** Where the entries lay in the upstream body, when it was read from bytes. */
  layout?: Layout;
  /**
   * Entries upstream has that are not parsed yet: a refresh parses at most so many bytes of
   * entries (`maxParseBytes`), newest first, and the next refresh goes on with the rest.
   */
  pending?: number;
  /** Entries that repeat an earlier entry's id, by source hash: not parsed again while that entry is read before them. */
  duplicates?: { hash: string; id: string }[];
  /** The feed's `titles` pattern, when it has one: only entries whose title it matches are issues. */
  titles?: string;
  /** Entries whose title the pattern does not match, by source hash: not parsed again. */
  skipped?: string[];
  /** The feed's `split` setting (`splitKey`), when it names its boundaries. */
  split?: string;
}

/**
 * The upstream body as the last refresh saw it: its length, a hash of what lies before the first
 * entry and after the last one, and every entry in upstream order with its hash and byte range.
 * A refresh that meets an entry it already has checks the rest of the body against this instead
 * of reading it (see `buildState`'s `stopAtKnown`).
 */
export interface Layout {
  bytes: number;
  head: string;
  tail: string;
  entries: LayoutEntry[];
}

export interface LayoutEntry {
  /** "" for an entry left for later by a first fetch, not hashed yet (see `buildState`). */
  hash: string;
  start: number;
  end: number;
}

export interface BuiltState {
  state: FeedState;
  /** HTML to store, by key: the issues that are new or changed (as a string or as UTF-8). */
  bodies: Map<string, string | Uint8Array>;
  /** Keys of the previous state that are no longer used. */
  dropped: string[];
  /** How many entries were parsed and split (the others were reused as stored). */
  parsed: number;
}

/**
 * Whether two layouts lay out the same body as far as both know it: the same length, head, tail
 * and entry ranges, and the same hash for each entry hashed in both.
 */
export function sameLayout(a: Layout | undefined, b: Layout | undefined): boolean {
  if (!a || !b || a.bytes !== b.bytes || a.head !== b.head || a.tail !== b.tail || a.entries.length !== b.entries.length) return false;
  return a.entries.every((e, k) => {
    const f = b.entries[k]!;
    return e.start === f.start && e.end === f.end && (e.hash === f.hash || e.hash === "" || f.hash === "");
  });
}

/** `s` cut to at most `max` characters (code points), with "…" when cut. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = [...s.slice(0, max + 1)].slice(0, max - 1).join("");
  return `${cut}…`;
}

export function capCategories(categories: string[]): string[] {
  const kept = categories.length > MAX_CATEGORIES ? categories.slice(0, MAX_CATEGORIES) : categories;
  return kept.some((c) => c.length > MAX_CATEGORY_CHARS) ? kept.map((c) => capText(c, MAX_CATEGORY_CHARS)) : kept;
}

/** Section and topic titles come from headings of any length: cut as issue titles are. */
export function capTitles(split: IssueSplit): void {
  for (const s of split.sections) {
    if (s.title.length > MAX_TITLE_CHARS) s.title = capText(s.title, MAX_TITLE_CHARS);
    for (const t of s.topics) if (t.title.length > MAX_TITLE_CHARS) t.title = capText(t.title, MAX_TITLE_CHARS);
  }
}
