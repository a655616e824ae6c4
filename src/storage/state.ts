import type { IssueSplit, UpstreamFeed, UpstreamItem } from "../model.js";
import { hash53 } from "../lib/hash.js";
import type { EntrySource, FeedBytes, FeedSource } from "../parse/index.js";
import { utf8Bytes } from "../lib/utf8.js";
import { sanitizeUtf8 } from "../sanitize/index.js";
import { RE2JS } from "re2js";
import { INTRO, type Preset, sectionFamily, splitBytes, TitleCache } from "../split/index.js";
import { namedBoundaries, type SplitSetting, splitKey } from "../split/named.js";

/**
 * Bump when what is stored for an issue changes (the sanitizer's or the splitter's output, the
 * entry hash, the state's shape): stored states of another version are re-split, and their issue
 * bodies written again, from the stored upstream body on the next request, without asking
 * upstream again.
 */
export const STATE_VERSION = 7;

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
 * Turn an upstream feed into a feed state. Entries whose source text is unchanged since
 * `previous` are reused as stored: not parsed, not split, their HTML not written again.
 *
 * With `stopAtKnown` (and a feed read from bytes, and a previous state with its layout), reading
 * stops at the first entry that the previous body had too, if the rest of the body is that
 * entry and those that followed it last time: the same byte length up to the same closing bytes,
 * ending with the same last entry (or an earlier one: the oldest entries fell off), and one more
 * of those entries, in turn, unchanged (`spotCheck`). Those entries are kept as stored, unread.
 * An edit that changes no byte length in the middle of that rest goes unseen until its entry's
 * turn comes — or a refresh without `stopAtKnown` (a full pass) reads every entry.
 *
 * With `maxParseBytes`, entries that need parsing are parsed, newest first, while their sizes add
 * up to no more than that (at least one is): the others are counted in `pending` and left for
 * the next build, which finds them still unparsed (a kept entry with no stored issue) and goes on.
 * So a first fetch of a long feed is spread over as many refreshes as it takes, each within a
 * CPU budget, the newest issues served from the first.
 *
 * `missing`: keys of the previous issues whose body is not stored: those entries are parsed again
 * and their bodies written.
 */
export function buildState(
  feed: FeedSource | UpstreamFeed,
  opts: {
    url: string;
    preset: Preset;
    titles?: string;
    split?: SplitSetting;
    now: string;
    previous?: FeedState;
    stopAtKnown?: boolean;
    maxParseBytes?: number;
    missing?: Set<string>;
  },
): BuiltState {
  const source = "items" in feed ? sourceOf(feed) : feed;
  const { previous } = opts;
  const reusable = previous && isCurrent(previous, opts);
  // An issue whose stored body is missing is parsed again, and its body written.
  const byRawHash = new Map(reusable ? previous.issues.filter((i) => !opts.missing?.has(i.key)).map((i) => [i.rawHash, i]) : []);
  const byKey = new Map(previous?.issues.map((i) => [i.key, i]));
  const bodies = new Map<string, string | Uint8Array>();
  const seenIds = new Set<string>();
  const issues: StoredIssue[] = [];
  const bytes = source.bytes;
  const last = reusable && opts.stopAtKnown && bytes ? previous.layout : undefined;
  const lastIndex = new Map(last?.entries.map((e, k) => [e.hash, k]));
  const layout: LayoutEntry[] = [];
  const titles = new TitleCache(); // shared by the issues split here
  const named = opts.split && namedBoundaries(opts.split);
  // The publication's section ids, so that a heading reworded by a date or a plural keeps its id.
  const known = new Map<string, string>();
  for (const issue of previous?.issues ?? []) for (const s of issue.split.sections) if (s.id !== INTRO && !known.has(sectionFamily(s.title))) known.set(sectionFamily(s.title), s.id);
  let parsed = 0;
  let parsedBytes = 0;
  let pending = 0; // entries left for later: once one is, every new one after it is too
  const reuse = (same: StoredIssue) => {
    if (!seenIds.has(same.id)) issues.push(same);
    seenIds.add(same.id);
  };
  const knownDuplicates = new Map(reusable ? previous.duplicates?.map((d) => [d.hash, d.id]) : []);
  const duplicates: { hash: string; id: string }[] = [];
  const titleFilter = opts.titles === undefined ? undefined : RE2JS.compile(opts.titles);
  const knownSkipped = new Set(reusable ? previous.skipped : []);
  const skipped: string[] = [];
  /** Whether the entry is a known repeat of an id already read here, or known to be filtered out (then it is noted again, not parsed). */
  const repeats = (hash: string) => {
    if (knownSkipped.has(hash)) {
      skipped.push(hash);
      return true;
    }
    const id = knownDuplicates.get(hash);
    if (id === undefined || !seenIds.has(id)) return false;
    duplicates.push({ hash, id });
    return true;
  };
  /** Whether an entry of `size` is parsed now: not once one was left for later, and within the budget. */
  const fits = (size: number, parsedBefore = parsed, bytesBefore = parsedBytes) =>
    !pending && !(opts.maxParseBytes && parsedBefore > 0 && bytesBefore + size > opts.maxParseBytes);
  /** Parse and split a new or changed entry, unless the budget is spent (then it is pending). */
  const add = (entry: EntrySource) => {
    const size = entry.size ?? 0;
    if (!fits(size)) {
      pending++;
      return;
    }
    const item = entry.parse();
    parsed++;
    parsedBytes += size;
    if (titleFilter && !titleFilter.matcher(item.title).find()) {
      skipped.push(entry.hash); // (a publication's other posts, in a feed shared with them)
      return;
    }
    if (seenIds.has(item.id)) {
      duplicates.push({ hash: entry.hash, id: item.id }); // a duplicated entry upstream
      return;
    }
    seenIds.add(item.id);
    const key = `${hash53(item.id)}-${entry.hash}`;
    const old = opts.missing?.has(key) ? undefined : byKey.get(key);
    let split = old?.split;
    let length = old?.chars ?? 0;
    if (!reusable || !split) {
      // What is stored, split and served is the sanitized HTML: sanitized once per version of an entry.
      const clean = sanitizeUtf8(item.utf8 ?? { bytes: utf8Bytes(item.html) });
      ({ split, length } = splitBytes(clean, opts.preset, { titles, names: [item.title, source.head.title], known, named }));
      capTitles(split);
      bodies.set(key, clean.bytes);
    }
    issues.push({
      key,
      rawHash: entry.hash,
      id: item.id,
      title: capText(item.title, MAX_TITLE_CHARS),
      link: item.link || source.head.link,
      // An undated entry keeps the date it was first seen, so it stays put across refreshes.
      date: item.date || previous?.issues.find((i) => i.id === item.id)?.date || opts.now,
      categories: capCategories(item.categories),
      author: item.author === undefined ? undefined : capText(item.author, MAX_TITLE_CHARS),
      chars: length,
      split,
    });
  };
  for (const entry of source.entries) {
    if (last && entry.start !== undefined) {
      const j = lastIndex.get(entry.hash);
      const m = j === undefined ? -1 : keptTail(last, j, entry.start, bytes!, turn(opts.now));
      if (m >= 0) {
        // The rest of the body is entries j..m of the last one, moved by `delta` bytes. Those with
        // no stored issue (and that repeat no id) were left for later by a refresh whose budget
        // was spent: those this budget allows are parsed now, as they read now, once a whole entry
        // is found where the layout says (else the rest is read on); the others stay left, taken
        // on trust like the stored ones.
        const delta = entry.start - last.entries[j!]!.start;
        const ids = new Set(seenIds); // the ids read up to each entry, to tell repeats
        let n = parsed;
        let b = parsedBytes;
        let spent = false;
        const rest = last.entries.slice(j, m + 1).map((e) => {
          const at = { hash: e.hash, start: e.start + delta, end: e.end + delta };
          const same = byRawHash.get(e.hash);
          if (same) ids.add(same.id);
          const of = knownDuplicates.get(e.hash);
          const repeat = !same && of !== undefined && ids.has(of);
          const now = !same && !repeat && !spent && fits(at.end - at.start, n, b);
          if (now) {
            n++;
            b += at.end - at.start;
          } else if (!same && !repeat) spent = true;
          return { at, same, left: now ? (bytes!.entry(at.start, at.end) ?? null) : undefined };
        });
        if (rest.every((r) => r.left !== null)) {
          for (const { at, same, left } of rest) {
            layout.push(left ? { ...at, hash: left.hash } : at);
            if (same) reuse(same);
            else if (repeats(at.hash)) continue;
            else if (left) add(left);
            else pending++;
          }
          break;
        }
      }
    }
    if (!last && byRawHash.size === 0 && entry.start !== undefined && entry.end !== undefined && !fits(entry.size ?? 0)) {
      // A first fetch whose budget is spent: the rest is laid out, not hashed (nothing stored to
      // compare it with); each entry is hashed when a later refresh parses it.
      layout.push({ hash: "", start: entry.start, end: entry.end });
      pending++;
      continue;
    }
    if (entry.start !== undefined && entry.end !== undefined) layout.push({ hash: entry.hash, start: entry.start, end: entry.end });
    const same = byRawHash.get(entry.hash);
    if (same) reuse(same);
    else if (!repeats(entry.hash)) add(entry);
  }
  // Newest first; entries with the same date keep the upstream's order.
  issues.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const used = new Set(issues.map((i) => i.key));
  const { base: _base, ...head } = source.head;
  const first = layout[0];
  const state: FeedState = { version: STATE_VERSION, url: opts.url, preset: opts.preset, upstream: head, refreshedAt: opts.now, issues };
  if (bytes && first) {
    const end = layout[layout.length - 1]!.end;
    state.layout = { bytes: bytes.length, head: bytes.hash(0, first.start), tail: bytes.hash(end, bytes.length), entries: layout };
  }
  if (pending) state.pending = pending;
  if (duplicates.length) state.duplicates = duplicates;
  if (opts.titles !== undefined) state.titles = opts.titles;
  if (opts.split) state.split = splitKey(opts.split);
  if (skipped.length) state.skipped = skipped;
  return {
    state,
    bodies,
    dropped: [...byKey.keys()].filter((k) => !used.has(k)),
    parsed,
  };
}

/**
 * Whether the body from `start` on (where the last body's entry j now starts) is the last body's
 * entries j..m followed by its closing bytes, and which m: -1 when it is not. Entry j is hashed
 * (that is how it was found), m too when it is not the last body's last entry, and the one whose
 * turn it is (`spotCheck`) if it lies after j; the others are taken on trust from their byte
 * ranges and the closing bytes' hash.
 */
function keptTail(last: Layout, j: number, start: number, bytes: FeedBytes, spotCheck: number): number {
  const entries = last.entries;
  const delta = start - entries[j]!.start;
  const closing = last.bytes - entries[entries.length - 1]!.end;
  const end = bytes.length - closing;
  let m = entries.length - 1;
  while (m >= j && entries[m]!.end + delta > end) m--;
  if (m < j || entries[m]!.end + delta !== end) return -1;
  if (bytes.hash(end, bytes.length) !== last.tail) return -1;
  if (m > j && m < entries.length - 1) {
    // The oldest entries fell off: that m ends where the closing starts must be no coincidence.
    const e = entries[m]!;
    if ((e.hash && bytes.hash(e.start + delta, e.end + delta) !== e.hash) || !bytes.isEntry(e.start + delta, e.end + delta)) return -1;
  }
  // One entry a refresh, in turn, among all but the first of the last body: each is read again
  // every (entries - 1) refreshes. The same one for any j, so that a failed check makes the
  // refresh read on past that entry.
  const k = 1 + (spotCheck % Math.max(1, entries.length - 1));
  if (k > j && k <= m) {
    const e = entries[k]!;
    if (e.hash && bytes.hash(e.start + delta, e.end + delta) !== e.hash) return -1; // (an entry never hashed has nothing stored to check)
  }
  return m;
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

/** Whose turn it is to be checked (`keptTail`): the number of the half hour `now` falls in. */
function turn(now: string): number {
  const t = Date.parse(now);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1_800_000);
}

/** An already parsed feed as a source (tests, tools). */
function sourceOf(feed: UpstreamFeed): FeedSource {
  const { items, ...head } = feed;
  return { head: { ...head, base: feed.link }, entries: items.map((item) => ({ hash: hash53(JSON.stringify(item)), size: item.html.length, parse: () => item })) };
}

/** `s` cut to at most `max` characters (code points), with "…" when cut. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = [...s.slice(0, max + 1)].slice(0, max - 1).join("");
  return `${cut}…`;
}

function capCategories(categories: string[]): string[] {
  const kept = categories.length > MAX_CATEGORIES ? categories.slice(0, MAX_CATEGORIES) : categories;
  return kept.some((c) => c.length > MAX_CATEGORY_CHARS) ? kept.map((c) => capText(c, MAX_CATEGORY_CHARS)) : kept;
}

/** Section and topic titles come from headings of any length: cut as issue titles are. */
function capTitles(split: IssueSplit): void {
  for (const s of split.sections) {
    if (s.title.length > MAX_TITLE_CHARS) s.title = capText(s.title, MAX_TITLE_CHARS);
    for (const t of s.topics) if (t.title.length > MAX_TITLE_CHARS) t.title = capText(t.title, MAX_TITLE_CHARS);
  }
}
