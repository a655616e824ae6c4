/**
 * Building a feed state from an upstream feed: which entries are reused as stored, which are
 * parsed and split now, which are left for a later refresh, and what the state then holds.
 */
import type { UpstreamFeed, UpstreamItem } from "../model.js";
import { hash53 } from "../lib/hash.js";
import { utf8Bytes } from "../lib/utf8.js";
import type { EntrySource, FeedBytes, FeedSource } from "../parse/index.js";
import { sanitizeUtf8 } from "../sanitize/index.js";
import { RE2JS } from "re2js";
import { INTRO, type Preset, sectionFamily, splitBytes, TitleCache } from "../split/index.js";
import { namedBoundaries, type SplitSetting, splitKey } from "../split/named.js";
import { type BuiltState, capCategories, capText, capTitles, type FeedState, isCurrent, type Layout, type LayoutEntry, MAX_TITLE_CHARS, STATE_VERSION, type StoredIssue } from "./state.js";

export interface BuildOptions {
  url: string;
  preset: Preset;
  titles?: string;
  split?: SplitSetting;
  /** The refresh's time (ISO). */
  now: string;
  previous?: FeedState;
  /** Stop reading at the first entry the previous body had too (see `buildState`). */
  stopAtKnown?: boolean;
  /** Bytes of entries parsed at most; the others are left for the next build. */
  maxParseBytes?: number;
  /** Keys of previous issues whose body is missing: parsed again, their bodies written. */
  missing?: Set<string>;
}

/**
 * Turn an upstream feed into a feed state. Entries whose source text is unchanged since
 * `previous` are reused as stored: not parsed, not split, their HTML not written again.
 *
 * With `stopAtKnown` (and a feed read from bytes, and a previous state with its layout), reading
 * stops at the first entry that the previous body had too, if the rest of the body is that
 * entry and those that followed it last time: the same byte length up to the same closing bytes,
 * ending with the same last entry (or an earlier one: the oldest entries fell off), and one more
 * of those entries, in turn, unchanged (`keptTail`). Those entries are kept as stored, unread.
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
export function buildState(feed: FeedSource | UpstreamFeed, opts: BuildOptions): BuiltState {
  const source = "items" in feed ? sourceOf(feed) : feed;
  const builder = new StateBuilder(source, opts);
  for (const entry of source.entries) if (builder.read(entry) === "rest known") break;
  return builder.finish();
}

/** What becomes of an entry of the kept rest of a body (`StateBuilder.planRest`). */
type RestEntry =
  | { at: LayoutEntry; is: "stored"; issue: StoredIssue }
  | { at: LayoutEntry; is: "repeat" }
  | { at: LayoutEntry; is: "parsed now"; entry: EntrySource }
  | { at: LayoutEntry; is: "left for later" };

class StateBuilder {
  readonly #source: FeedSource;
  readonly #opts: BuildOptions;
  readonly #previous: FeedState | undefined;
  /** The previous state is this code's and this configuration's: its issues may be reused. */
  readonly #reusable: boolean;
  /** Previous issues by their source's hash (not those whose body is missing: parsed again). */
  readonly #byRawHash: Map<string, StoredIssue>;
  readonly #byKey: Map<string, StoredIssue>;
  /** The previous body's layout, when reading may stop at the first entry it had. */
  readonly #last: Layout | undefined;
  readonly #lastIndex: Map<string, number>;
  readonly #knownDuplicates: Map<string, string>;
  readonly #knownSkipped: Set<string>;
  readonly #titleFilter: RE2JS | undefined;
  /** Shared by the issues split here. */
  readonly #titleCache = new TitleCache();
  readonly #named: ReturnType<typeof namedBoundaries> | undefined;
  /** The publication's section ids by family, so that a heading reworded by a date or a plural keeps its id. */
  readonly #known = new Map<string, string>();

  readonly #issues: StoredIssue[] = [];
  readonly #seenIds = new Set<string>();
  readonly #bodies = new Map<string, string | Uint8Array>();
  readonly #layout: LayoutEntry[] = [];
  readonly #duplicates: { hash: string; id: string }[] = [];
  readonly #skipped: string[] = [];
  #parsed = 0;
  #parsedBytes = 0;
  /** Entries left for later: once one is, every new one after it is too. */
  #pending = 0;

  constructor(source: FeedSource, opts: BuildOptions) {
    this.#source = source;
    this.#opts = opts;
    const previous = (this.#previous = opts.previous);
    const reusable = (this.#reusable = !!previous && isCurrent(previous, opts));
    const kept = reusable ? previous!.issues.filter((i) => !opts.missing?.has(i.key)) : [];
    this.#byRawHash = new Map(kept.map((i) => [i.rawHash, i]));
    this.#byKey = new Map(previous?.issues.map((i) => [i.key, i]));
    this.#last = reusable && opts.stopAtKnown && source.bytes ? previous!.layout : undefined;
    this.#lastIndex = new Map(this.#last?.entries.map((e, k) => [e.hash, k]));
    this.#knownDuplicates = new Map(reusable ? previous!.duplicates?.map((d) => [d.hash, d.id]) : []);
    this.#knownSkipped = new Set(reusable ? previous!.skipped : []);
    this.#titleFilter = opts.titles === undefined ? undefined : RE2JS.compile(opts.titles);
    this.#named = opts.split && namedBoundaries(opts.split);
    for (const issue of previous?.issues ?? []) {
      for (const s of issue.split.sections) if (s.id !== INTRO && !this.#known.has(sectionFamily(s.title))) this.#known.set(sectionFamily(s.title), s.id);
    }
  }

  /** Read the next entry upstream; "rest known" when the rest of the body is the previous one's (then stop). */
  read(entry: EntrySource): "read" | "rest known" {
    if (this.#last && entry.start !== undefined && this.#readKnownRest(entry)) return "rest known";
    const placed = entry.start !== undefined && entry.end !== undefined;
    if (placed && !this.#last && this.#byRawHash.size === 0 && !this.#fits(entry.size ?? 0)) {
      // A first fetch whose budget is spent: the rest is laid out, not hashed (nothing stored to
      // compare it with); each entry is hashed when a later refresh parses it.
      this.#layout.push({ hash: "", start: entry.start!, end: entry.end! });
      this.#pending++;
      return "read";
    }
    if (placed) this.#layout.push({ hash: entry.hash, start: entry.start!, end: entry.end! });
    const same = this.#byRawHash.get(entry.hash);
    if (same) this.#reuse(same);
    else if (!this.#repeats(entry.hash)) this.#add(entry);
    return "read";
  }

  /**
   * When the body from `entry` on is the previous body's entries j..m (`keptTail`), moved by some
   * bytes: take them as planned (`planRest`) and say true; false when it is not, or when an entry
   * to parse is not found whole where the layout says (then the rest is read on).
   */
  #readKnownRest(entry: EntrySource): boolean {
    const last = this.#last!;
    const j = this.#lastIndex.get(entry.hash);
    const m = j === undefined ? -1 : keptTail(last, j, entry.start!, this.#source.bytes!, turn(this.#opts.now));
    if (m < 0) return false;
    const rest = this.#planRest(last.entries.slice(j!, m + 1), entry.start! - last.entries[j!]!.start);
    if (!rest) return false;
    for (const r of rest) {
      this.#layout.push(r.is === "parsed now" ? { ...r.at, hash: r.entry.hash } : r.at);
      if (r.is === "stored") this.#reuse(r.issue);
      else if (this.#repeats(r.at.hash)) continue; // noted again
      else if (r.is === "parsed now") this.#add(r.entry);
      else this.#pending++;
    }
    return true;
  }

  /**
   * What becomes of each entry of the kept rest (its layout entries, moved by `delta`): stored
   * ones are reused; repeats of an id read before them are noted; the others (no stored issue,
   * and that repeat no id) were left for later by a refresh whose budget was spent — those this
   * budget allows are parsed now, as they read now, the others stay left, taken on trust like the
   * stored ones. (An entry known to be filtered out counts here as one to parse; it is then noted,
   * not parsed.) Undefined when an entry to parse is not found whole where the layout says.
   */
  #planRest(entries: LayoutEntry[], delta: number): RestEntry[] | undefined {
    const ids = new Set(this.#seenIds); // the ids read up to each entry, to tell repeats
    let parsed = this.#parsed;
    let parsedBytes = this.#parsedBytes;
    let spent = false;
    const plan: RestEntry[] = [];
    for (const e of entries) {
      const at = { hash: e.hash, start: e.start + delta, end: e.end + delta };
      const stored = this.#byRawHash.get(e.hash);
      const of = this.#knownDuplicates.get(e.hash);
      if (stored) {
        ids.add(stored.id);
        plan.push({ at, is: "stored", issue: stored });
      } else if (of !== undefined && ids.has(of)) {
        plan.push({ at, is: "repeat" });
      } else if (!spent && this.#fits(at.end - at.start, parsed, parsedBytes)) {
        const entry = this.#source.bytes!.entry(at.start, at.end);
        if (!entry) return undefined;
        parsed++;
        parsedBytes += at.end - at.start;
        plan.push({ at, is: "parsed now", entry });
      } else {
        spent = true;
        plan.push({ at, is: "left for later" });
      }
    }
    return plan;
  }

  #reuse(same: StoredIssue): void {
    if (!this.#seenIds.has(same.id)) this.#issues.push(same);
    this.#seenIds.add(same.id);
  }

  /** Whether the entry is known to be filtered out, or a known repeat of an id already read here: then it is noted again, not parsed. */
  #repeats(hash: string): boolean {
    if (this.#knownSkipped.has(hash)) {
      this.#skipped.push(hash);
      return true;
    }
    const id = this.#knownDuplicates.get(hash);
    if (id === undefined || !this.#seenIds.has(id)) return false;
    this.#duplicates.push({ hash, id });
    return true;
  }

  /** Whether an entry of `size` is parsed now: not once one was left for later, and within the budget (at least one is). */
  #fits(size: number, parsedBefore = this.#parsed, bytesBefore = this.#parsedBytes): boolean {
    const max = this.#opts.maxParseBytes;
    return !this.#pending && !(max && parsedBefore > 0 && bytesBefore + size > max);
  }

  /** Parse and split a new or changed entry, unless the budget is spent (then it is pending). */
  #add(entry: EntrySource): void {
    const size = entry.size ?? 0;
    if (!this.#fits(size)) {
      this.#pending++;
      return;
    }
    const item = entry.parse();
    this.#parsed++;
    this.#parsedBytes += size;
    if (this.#titleFilter && !this.#titleFilter.matcher(item.title).find()) {
      this.#skipped.push(entry.hash); // (a publication's other posts, in a feed shared with them)
      return;
    }
    if (this.#seenIds.has(item.id)) {
      this.#duplicates.push({ hash: entry.hash, id: item.id }); // a duplicated entry upstream
      return;
    }
    this.#seenIds.add(item.id);
    this.#issues.push(this.#issueOf(item, entry.hash));
  }

  /** The stored issue of a parsed entry: split now (and its sanitized body kept to write), unless this version of it is stored. */
  #issueOf(item: UpstreamItem, rawHash: string): StoredIssue {
    const { opts, head } = { opts: this.#opts, head: this.#source.head };
    const key = `${hash53(item.id)}-${rawHash}`;
    const old = opts.missing?.has(key) ? undefined : this.#byKey.get(key);
    let split = old?.split;
    let length = old?.chars ?? 0;
    if (!this.#reusable || !split) {
      // What is stored, split and served is the sanitized HTML: sanitized once per version of an entry.
      const clean = sanitizeUtf8(item.utf8 ?? { bytes: utf8Bytes(item.html) });
      ({ split, length } = splitBytes(clean, opts.preset, { titles: this.#titleCache, names: [item.title, head.title], known: this.#known, named: this.#named }));
      capTitles(split);
      this.#bodies.set(key, clean.bytes);
    }
    return {
      key,
      rawHash,
      id: item.id,
      title: capText(item.title, MAX_TITLE_CHARS),
      link: item.link || head.link,
      // An undated entry keeps the date it was first seen, so it stays put across refreshes.
      date: item.date || this.#previous?.issues.find((i) => i.id === item.id)?.date || opts.now,
      categories: capCategories(item.categories),
      author: item.author === undefined ? undefined : capText(item.author, MAX_TITLE_CHARS),
      chars: length,
      split,
    };
  }

  finish(): BuiltState {
    const opts = this.#opts;
    const issues = this.#issues;
    // Newest first; entries with the same date keep the upstream's order.
    issues.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
    const { base: _base, ...head } = this.#source.head;
    const state: FeedState = { version: STATE_VERSION, url: opts.url, preset: opts.preset, upstream: head, refreshedAt: opts.now, issues };
    const bytes = this.#source.bytes;
    const layout = this.#layout;
    if (bytes && layout.length) {
      const end = layout[layout.length - 1]!.end;
      state.layout = { bytes: bytes.length, head: bytes.hash(0, layout[0]!.start), tail: bytes.hash(end, bytes.length), entries: layout };
    }
    if (this.#pending) state.pending = this.#pending;
    if (this.#duplicates.length) state.duplicates = this.#duplicates;
    if (opts.titles !== undefined) state.titles = opts.titles;
    if (opts.split) state.split = splitKey(opts.split);
    if (this.#skipped.length) state.skipped = this.#skipped;
    const used = new Set(issues.map((i) => i.key));
    return { state, bodies: this.#bodies, dropped: [...this.#byKey.keys()].filter((k) => !used.has(k)), parsed: this.#parsed };
  }
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
