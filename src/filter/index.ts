import type { FeedItem, SectionSlice, TopicSlice } from "../model.js";
import { hash53 } from "../lib/hash.js";
import { htmlToText } from "../lib/text.js";
import { utf8Text } from "../lib/utf8.js";
import { sliceAnchor, sliceWrap } from "../split/index.js";
import type { FeedState, StoredIssue } from "../storage/state.js";
import { fold, type Pattern, type Query, RSSHUB_FILTERS, type RsshubFilters } from "./query.js";

export * from "./query.js";

/** One item to be: an issue, or a section of it, or a topic of a section. */
export interface Picked {
  issue: StoredIssue;
  section?: SectionSlice;
  topic?: TopicSlice;
  /** Its place among the issue's items at its granularity (0 for the first, or a whole issue). */
  position?: number;
}

/** How many issue bodies are read from storage at once while filtering. */
const READ_AHEAD = 4;

/**
 * The items a query asks for, newest issue first and in document order within an issue. Filters
 * on metadata (section, topic, category, date) run before any HTML is read; filters on text
 * (q, exclude_q, the regular expressions) run on each item's own text, after splitting — so a
 * topic-level filter yields topics. Issue bodies are read (through `loadHtml`) only for issues
 * that can still contribute, a few at a time, until `limit` items are found.
 */
export async function selectItems(
  state: FeedState,
  query: Query,
  /** An issue's HTML by its key, as KV holds it or as `buildState` gives it (a string or UTF-8). */
  loadHtml: (key: string) => Promise<string | Uint8Array | null>,
): Promise<FeedItem[]> {
  const keep = textFilter(query);
  const candidates = state.issues
    .filter((issue) => issueMatches(issue, query))
    .map((issue) => ({ issue, picks: pickSlices(issue, query) }))
    .filter((c) => c.picks.length > 0);
  const out: FeedItem[] = [];
  for (let i = 0; i < candidates.length && out.length < query.limit; i += READ_AHEAD) {
    const batch = candidates.slice(i, i + READ_AHEAD);
    const bodies = await Promise.all(batch.map((c) => loadHtml(c.issue.key)));
    batch.forEach((c, k) => {
      const body = bodies[k];
      // A body not yet visible (KV propagates writes within a minute) is skipped, not served empty.
      if (body == null) return;
      const html = typeof body === "string" ? body : utf8Text(body);
      for (const p of c.picks) {
        if (out.length >= query.limit) return;
        const item = toFeedItem(p, html);
        if (!keep || keep(item)) out.push(item);
      }
    });
  }
  return out;
}

/**
 * Sections seen across a feed's issues, with their item counts: the recurring ones (in two issues
 * or more, or the feed has one issue) first, each group in the newest issue's order.
 */
export function listSections(state: FeedState): { id: string; title: string; items: number; recurring: boolean }[] {
  const sections = new Map<string, { id: string; title: string; items: number; recurring: boolean }>();
  for (const issue of state.issues) {
    for (const s of issue.split.sections) {
      const known = sections.get(s.id);
      if (known) known.items++;
      else sections.set(s.id, { id: s.id, title: s.title, items: 1, recurring: false });
    }
  }
  const list = [...sections.values()];
  for (const s of list) s.recurring = s.items >= 2 || state.issues.length === 1;
  return [...list.filter((s) => s.recurring), ...list.filter((s) => !s.recurring)];
}

/**
 * Make a feed item of a picked slice. Ids derive from the upstream id and the section/topic ids
 * only, so they are stable across refreshes and deploys; a whole issue keeps its upstream id.
 */
export function toFeedItem(p: Picked, issueHtml: string): FeedItem {
  const { issue, section, topic } = p;
  const base = { date: issue.date, author: issue.author };
  const origin = { issueId: issue.id, issueKey: issue.key, html: issueHtml, split: issue.split, issueTitle: issue.title };
  if (!section) {
    return {
      ...base,
      id: issue.id,
      title: issue.title || "(untitled)",
      link: issue.link,
      categories: issue.categories,
      html: issueHtml,
      origin: { ...origin, start: 0, end: issueHtml.length, labels: [] },
    };
  }
  const slice = topic ?? section;
  const anchor = sliceAnchor(slice) ?? sliceAnchor(section);
  const labels = topic && topic.id !== section.id ? [section.title, topic.title] : [section.title];
  // A slice cut inside nested layout re-opens and closes the elements around it.
  const wrap = slice.open || slice.close ? sliceWrap(issueHtml, slice) : undefined;
  return {
    ...base,
    id: `urn:feedslice:${hash53(issue.id)}:${section.id}${topic ? `:${topic.id}` : ""}`,
    title: itemTitle(labels, issue.title),
    date: inIssueOrder(issue.date, p.position ?? 0),
    link: anchor && !issue.link.includes("#") ? `${issue.link}#${anchor}` : issue.link,
    categories: [section.id, ...issue.categories.filter((c) => c !== section.id)],
    html: wrap ? wrap[0] + issueHtml.slice(slice.start, slice.end) + wrap[1] : issueHtml.slice(slice.start, slice.end),
    section: section.id,
    topic: topic?.id,
    origin: { ...origin, start: slice.start, end: slice.end, labels, wrap },
  };
}

/**
 * An item's title: what tells it apart first — a topic's title, then its section's in parentheses —
 * then the issue's: "Perplexity AI ▷ #general (Discord: by channel) · Llama 3". Labels are
 * [section] or [section, topic].
 */
export function itemTitle(labels: string[], issueTitle: string): string {
  const [section, topic] = labels;
  const label = topic === undefined ? section! : `${topic} (${section})`;
  return issueTitle ? `${label} · ${issueTitle}` : label;
}

/**
 * The parts of one issue dated a second apart, the first the issue's own time: readers that
 * order by date keep them in issue order, and the dates stay the same across refreshes.
 */
function inIssueOrder(date: string, position: number): string {
  const t = Date.parse(date);
  return position === 0 || Number.isNaN(t) ? date : new Date(t - position * 1000).toISOString();
}

/** Date and category filters: they hold for a whole issue. */
function issueMatches(issue: StoredIssue, q: Query): boolean {
  if (q.after && issue.date < q.after) return false;
  if (q.category) {
    const cats = issue.categories.map(fold);
    if (!q.category.some((c) => cats.includes(fold(c)))) return false;
  }
  return true;
}

/** The issue's slices at the query's granularity, with section and topic filters applied. */
function pickSlices(issue: StoredIssue, q: Query): Picked[] {
  if (q.granularity === "issue") {
    // A section filter on whole issues keeps the issues that have such a section.
    const ids = issue.split.sections.map((s) => s.id);
    return sectionAllowed(q, ids) ? [{ issue }] : [];
  }
  const out: Picked[] = [];
  let position = 0; // among all the issue's items, filtered or not: the same date whatever the query
  for (const section of issue.split.sections) {
    const allowed = sectionAllowed(q, [section.id]);
    if (q.granularity === "section") {
      if (allowed) out.push({ issue, section, position });
      position++;
      continue;
    }
    for (const topic of section.topics) {
      if (allowed && !(q.topic && !q.topic.some((t) => fold(topic.title).includes(fold(t))))) out.push({ issue, section, topic, position });
      position++;
    }
  }
  return out;
}

function sectionAllowed(q: Query, ids: string[]): boolean {
  if (q.sections && !ids.some((id) => q.sections!.includes(id))) return false;
  if (q.excludeSections && ids.every((id) => q.excludeSections!.includes(id))) return false;
  return true;
}

/** The text filters as one predicate on an item, or undefined when there are none. */
function textFilter(q: Query): ((item: FeedItem) => boolean) | undefined {
  const r = q.rsshub;
  if (!q.q && !q.excludeQ && !q.qRe && !q.excludeQRe && !(r && RSSHUB_FILTERS.some((name) => r[name]))) return undefined;
  const terms = q.q?.map(fold);
  const excluded = q.excludeQ?.map(fold);
  return (item) => {
    // Matching is on text: tags, attributes and URLs in markup are not searched.
    const body = htmlToText(item.html).normalize("NFKC");
    const title = item.title.normalize("NFKC");
    const text = `${title}\n${body}`;
    const folded = terms || excluded ? fold(text) : "";
    if (terms && !terms.some((t) => folded.includes(t))) return false;
    if (excluded && excluded.some((t) => folded.includes(t))) return false;
    if (q.qRe && !found(q.qRe, text)) return false;
    if (q.excludeQRe && found(q.excludeQRe, text)) return false;
    return !r || rsshubKeeps(r, title, body, item.author ?? "", item.categories);
  };
}

/**
 * RSSHub's filters as RSSHub applies them: `filter` keeps what matches the title, the text, the
 * author or a category (and the other filter_* are then ignored); else each filter_* given must
 * match its field. `filterout` drops what matches the title or the text, `filterout_title` and
 * `filterout_description` take its place for their field, `filterout_author` and
 * `filterout_category` drop what matches theirs. The text is the item's text, not its markup.
 */
function rsshubKeeps(r: RsshubFilters, title: string, text: string, author: string, categories: string[]): boolean {
  const any = (p: Pattern) => categories.some((c) => found(p, c));
  if (r.filter) {
    if (!(found(r.filter, title) || found(r.filter, text) || found(r.filter, author) || any(r.filter))) return false;
  } else {
    if (r.filter_title && !found(r.filter_title, title)) return false;
    if (r.filter_description && !found(r.filter_description, text)) return false;
    if (r.filter_author && !found(r.filter_author, author)) return false;
    if (r.filter_category && !any(r.filter_category)) return false;
  }
  const outTitle = r.filterout_title ?? r.filterout;
  const outText = r.filterout_description ?? r.filterout;
  if (outTitle && found(outTitle, title)) return false;
  if (outText && found(outText, text)) return false;
  if (r.filterout_author && found(r.filterout_author, author)) return false;
  if (r.filterout_category && any(r.filterout_category)) return false;
  return true;
}

function found(p: Pattern, text: string): boolean {
  return p.re.matcher(text).find();
}
