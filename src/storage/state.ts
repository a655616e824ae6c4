import type { IssueSplit, UpstreamFeed, UpstreamItem } from "../model.js";
import { hash53 } from "../lib/hash.js";
import type { FeedSource } from "../parse/index.js";
import { type Preset, splitIssue } from "../split/index.js";

/**
 * Bump when the splitter's output changes: stored states of another version are re-split from
 * the stored upstream body on the next request, without asking upstream again.
 */
export const STATE_VERSION = 2;

/** An issue as stored: its metadata and how it splits; the HTML is stored apart under `key`. */
export interface StoredIssue extends Omit<UpstreamItem, "html"> {
  /** Storage key of the HTML: hash of the upstream id, then hash of the content. */
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
}

export interface BuiltState {
  state: FeedState;
  /** HTML to store, by key: the issues that are new or changed. */
  bodies: Map<string, string>;
  /** Keys of the previous state that are no longer used. */
  dropped: string[];
  /** How many entries were parsed and split (the others were reused as stored). */
  parsed: number;
}

/**
 * Turn an upstream feed into a feed state. Entries whose source text is unchanged since
 * `previous` are reused as stored: not parsed, not split, their HTML not written again.
 */
export function buildState(
  feed: FeedSource | UpstreamFeed,
  opts: { url: string; preset: Preset; now: string; previous?: FeedState },
): BuiltState {
  const source = "items" in feed ? sourceOf(feed) : feed;
  const { previous } = opts;
  const reusable = previous && previous.version === STATE_VERSION && previous.preset === opts.preset;
  const byRawHash = new Map(reusable ? previous.issues.map((i) => [i.rawHash, i]) : []);
  const byKey = new Map(previous?.issues.map((i) => [i.key, i]));
  const bodies = new Map<string, string>();
  const seenIds = new Set<string>();
  const issues: StoredIssue[] = [];
  let parsed = 0;
  for (const entry of source.entries) {
    const same = byRawHash.get(entry.hash);
    if (same) {
      if (!seenIds.has(same.id)) issues.push(same);
      seenIds.add(same.id);
      continue;
    }
    const item = entry.parse();
    parsed++;
    if (seenIds.has(item.id)) continue; // a duplicated entry upstream
    seenIds.add(item.id);
    const key = `${hash53(item.id)}-${hash53(item.html)}`;
    const old = byKey.get(key);
    const split = reusable && old ? old.split : splitIssue(item.html, opts.preset);
    if (!old) bodies.set(key, item.html);
    issues.push({
      key,
      rawHash: entry.hash,
      id: item.id,
      title: item.title,
      link: item.link || source.head.link,
      // An undated entry keeps the date it was first seen, so it stays put across refreshes.
      date: item.date || previous?.issues.find((i) => i.id === item.id)?.date || opts.now,
      categories: item.categories,
      author: item.author,
      chars: item.html.length,
      split,
    });
  }
  // Newest first; entries with the same date keep the upstream's order.
  issues.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const used = new Set(issues.map((i) => i.key));
  const { base: _base, ...head } = source.head;
  return {
    state: { version: STATE_VERSION, url: opts.url, preset: opts.preset, upstream: head, refreshedAt: opts.now, issues },
    bodies,
    dropped: [...byKey.keys()].filter((k) => !used.has(k)),
    parsed,
  };
}

/** An already parsed feed as a source (tests, tools). */
function sourceOf(feed: UpstreamFeed): FeedSource {
  const { items, ...head } = feed;
  return { head: { ...head, base: feed.link }, entries: items.map((item) => ({ hash: hash53(JSON.stringify(item)), parse: () => item })) };
}
