import type { IssueSplit, SectionSlice, Slice, TopicSlice } from "../model.js";
import { slugify, textFragment } from "../lib/text.js";
import { viewOf } from "../lib/bytes.js";
import { toUtf16Offsets, type Utf8Html, utf8Bytes } from "../lib/utf8.js";
import { type Preset, sectionId } from "./presets.js";
import { type Mark, scanMarks } from "./scan.js";
import { NAMED_SECTION, NAMED_TOPIC, type NamedBoundaries } from "./named.js";
import { BIG, TITLE_CLASS } from "./style.js";
import { anchorOf, boldParagraphText, headingText, leadInText, lineText, textOf } from "./titles.js";

export { PRESETS, type Preset, sectionFamily, sectionId } from "./presets.js";

/** Section and topic id of the text before the first heading. */
export const INTRO = "intro";

/**
 * A section's lead-in (its heading and what stands before its first topic) is folded into the
 * first topic when it has less text than this, so that a topic feed does not get an item that is
 * only a heading and a one-line note.
 */
const LEAD_IN_MAX_TEXT = 300;

/**
 * How prominent a boundary is, as a heading level: h1–h6 are 1–6; a line styled as a title (large,
 * or in an element named like a title) 7; a bold line or bold paragraph 8; a paragraph's bold
 * lead-in 9, which only ever marks topics, and only where a section has several.
 */
const STYLED_LINE = 7;
const BOLD_LINE = 8;
const LEAD_IN = 9;

/** Where an item may begin, what it is called, and what it holds (as content counters, see scan.ts). */
interface Boundary {
  level: number;
  cut: number;
  open: number[];
  /** Content counter at the cut and after the boundary's own element. */
  before: number;
  after: number;
  /** Elements open around the boundary's element. */
  depth: number;
  title: string;
  anchor?: string;
  /** For a line alone in a block of its template, which part of the template it is (scan.ts); else 0. */
  template: number;
}

/**
 * Cut an issue into sections and topics at its headings, at any depth. Sections and topics are
 * contiguous and cover the body exactly: concatenating the slices gives the body back, so nothing
 * is lost and nothing is duplicated. A cut inside nested layout records the elements open there
 * (`open`, `close`), which an item re-opens and closes to be well-formed (`sliceHtml`). Offsets
 * are in UTF-16 units of the HTML as a string, whether it is given as a string or as its UTF-8
 * bytes.
 */
export function splitIssue(html: string | Uint8Array, preset: Preset): IssueSplit {
  return splitBytes({ bytes: typeof html === "string" ? utf8Bytes(html) : html }, preset).split;
}

/** What a split may know beyond the issue's HTML. */
export interface SplitOptions {
  /** Topic slugs, shared by the issues of one refresh. */
  titles?: TitleCache;
  /** The issue's title and the publication's: headings that repeat them are a title or a masthead, no section. */
  names?: string[];
  /** The publication's section ids by family (`sectionId`), which this issue's headings keep to. */
  known?: Map<string, string>;
  /** The feed's own boundaries (./named.ts): then only they cut. */
  named?: NamedBoundaries;
}

/**
 * `splitIssue` on the HTML's UTF-8 bytes, and the length of the HTML as a string: the issue is
 * scanned and cut in bytes, only titles become strings. What the decoder noted (`Utf8Html`: where
 * the tags and the multi-byte characters are) spares the passes that would find them.
 */
export function splitBytes(utf8: Utf8Html, preset: Preset, opts: SplitOptions = {}): { split: IssueSplit; length: number } {
  const { titles = new TitleCache(), names = [], known, named } = opts;
  const html = utf8.bytes;
  const view = viewOf(html);
  // Markdown rendered to HTML has its structure at the top level: when a heading is there, the
  // issue is cut there only, and the elements between are skipped whole. Else (an email's layout,
  // bold lines alone) every element is looked into.
  let scan = named ? scanMarks(html, utf8.lt, true, named) : scanMarks(html, utf8.lt, false, undefined, utf8.blocks);
  if (!named && !scan.marks.some((m) => m.kind === "h")) scan = scanMarks(html, utf8.lt, true);
  const { boundaries, breaks } = toBoundaries(html, view, scan.marks, names.map(nameKey).filter(Boolean));
  const issue: Cutting = { html, view, boundaries, breaks, titles, named: !!named };
  let level = NAMED_SECTION;
  let cuts: Boundary[];
  // (What a feed names is cut as named: nothing folded.)
  if (named) cuts = boundaries.filter((b) => b.level === NAMED_SECTION);
  else {
    // Markdown rendered to HTML marks its sections up as headings: where the top level has one,
    // bold lines there are topics at most.
    const headed = boundaries.some((b) => b.depth === 0 && b.level <= 6);
    level = chooseLevel(headed ? boundaries.filter((b) => b.level <= 6) : boundaries, 0, 1);
    cuts = foldEmpty(sectionCuts(boundaries, level), scan.content);
  }

  const sections: SectionSlice[] = [];
  const ids = new Set<string>();
  const first = cuts[0];
  // Text before the first heading is the intro; markup alone is not worth an item.
  if (!first || first.before > 0) {
    const end = first ? first.cut : html.length;
    const head = { id: INTRO, title: "Intro", anchor: "" };
    sections.push(makeSection(issue, head, { start: 0, end, open: [], close: first?.open ?? [] }, level, first ? first.before : scan.content));
    ids.add(INTRO);
  }
  cuts.forEach((b, k) => {
    const next = cuts[k + 1];
    const id = unique(sectionId(b.title, preset, known) || "section", ids);
    const head = { id, title: b.title || id, anchor: b.anchor };
    const range = sections.length === 0 ? { start: 0, open: [] } : { start: b.cut, open: b.open };
    const slice = { ...range, end: next ? next.cut : html.length, close: next?.open ?? [] };
    sections.push(makeSection(issue, head, slice, level, next ? next.before : scan.content, b));
  });
  return { split: { sections }, length: toUtf16(utf8, sections) };
}

/** The boundary marks with their level and title, and the thematic breaks. */
function toBoundaries(html: Uint8Array, view: DataView, marks: Mark[], names: string[]): { boundaries: Boundary[]; breaks: Mark[] } {
  const boundaries: Boundary[] = [];
  const breaks: Mark[] = [];
  for (const m of marks) {
    let level = 0;
    let title: string | undefined;
    let anchor: string | undefined;
    if (m.kind === "h") {
      level = m.level;
      title = headingText(html, view, m);
      anchor = anchorOf(html, m, title);
    } else if (m.kind === "line") {
      // A bold run and a tail of symbols is a bold paragraph's title and tail (AINews' "(🔥)").
      title = boldParagraphText(html, view, m) ?? lineText(html, view, m);
      level = m.style & (BIG | TITLE_CLASS) ? STYLED_LINE : BOLD_LINE;
    } else if (m.kind === "p") {
      title = boldParagraphText(html, view, m);
      level = BOLD_LINE;
      // Lead-ins only in nested layout: in markdown rendered to HTML (the top level) bold words
      // that open a paragraph are emphasis, a numbered point of a summary; headings are marked up.
      if (title === undefined && m.depth > 0) {
        title = leadInText(html, view, m);
        level = LEAD_IN;
      }
    } else if (m.kind === "named") {
      level = m.level;
      title = headingText(html, view, m);
    } else {
      breaks.push(m);
      continue;
    }
    if (title === undefined) continue; // (its anchor: its title's text fragment)
    // A heading with no text (a logo, a banner image) titles nothing a reader could pick.
    if (title === "" && m.kind === "h") continue;
    // A heading that repeats the issue's or the publication's name is its title or masthead.
    if (m.kind !== "named" && level <= STYLED_LINE && names.length && isName(title, names)) continue;
    const template = m.kind === "line" && m.alone ? m.template : 0;
    boundaries.push({ level, cut: m.cut, open: m.open, before: m.before, after: m.after, depth: m.depth, title, anchor, template });
  }
  promoteKin(boundaries);
  return { boundaries, breaks };
}

/**
 * A bold line alone in a block of the template that a line styled as a title is alone in is such
 * a title too, whatever its size: Cooperpress sets "🛠 Code & Tools" at 1.4em and "💻 Jobs" at
 * 1.05em, each the one line of a `table.el-content`. (A bold line that shares its block with
 * text, a story's title above its summary, is not alone: it stays what it was.)
 */
function promoteKin(boundaries: Boundary[]): void {
  const styled = new Set<number>();
  for (const b of boundaries) if (b.level === STYLED_LINE && b.template) styled.add(b.template);
  if (styled.size === 0) return;
  for (const b of boundaries) if (b.level === BOLD_LINE && b.template && styled.has(b.template)) b.level = STYLED_LINE;
}

/** A title compared with the issue's and the publication's name: letters and digits, folded. */
function nameKey(title: string): string {
  return slugify(title, 200);
}

/** Whether a title is one of `names` (keys): folded only when its length is near one's. */
function isName(title: string, names: string[]): boolean {
  return names.some((n) => Math.abs(title.length - n.length) <= n.length / 4 + 4) && names.includes(nameKey(title));
}

/**
 * Slugs of topic titles, each computed once: a digest's topics (AINews' channel names) come back
 * issue after issue, so the issues of one refresh share one of these.
 */
export class TitleCache {
  readonly #slugs = new Map<string, string>();

  slug(title: string): string {
    let slug = this.#slugs.get(title);
    if (slug === undefined) this.#slugs.set(title, (slug = slugify(title)));
    return slug;
  }
}

/**
 * The level an issue (or a section, `below` its own) is cut at: the most prominent level used at
 * least twice, so that one stray heading neither fragments the issue nor hides its structure.
 * Failing that, for sections, the most prominent heading used at all; for topics (`min` 2), a
 * bold line even alone. Lead-ins mark topics only, and only where there are several.
 */
function chooseLevel(boundaries: Boundary[], below: number, min: number): number {
  const counts = new Array<number>(LEAD_IN + 1).fill(0);
  for (const b of boundaries) if (b.level > below) counts[b.level]!++;
  for (let l = below + 1; l <= BOLD_LINE; l++) if (counts[l]! >= 2) return l;
  if (min <= 1) {
    // A lone heading cuts; a lone bold or styled line does not (emphasis, an address in a footer).
    for (let l = below + 1; l <= 6; l++) if (counts[l]! >= 1) return l;
    return 0;
  }
  if (below !== 0 && counts[LEAD_IN]! >= 2) return LEAD_IN;
  return below < BOLD_LINE && counts[BOLD_LINE]! >= 1 ? BOLD_LINE : 0;
}

/**
 * Boundaries of one level where the HTML has its structure: at the top level when some are there
 * (markdown rendered to HTML: what is nested is inside a quote, a box of links, a widget), at any
 * depth when none is (an email's layout).
 */
function atOneDepth(cuts: Boundary[]): Boundary[] {
  return cuts.some((b) => b.depth === 0) ? cuts.filter((b) => b.depth === 0) : cuts;
}

/**
 * The section boundaries: those of the chosen level where the HTML has its structure. In an
 * email's layout (nothing at the top level) a more prominent one is a section too (a lone real
 * heading among bold lines); at the top level a lone shallower heading stays content.
 */
function sectionCuts(all: Boundary[], level: number): Boundary[] {
  const cuts = atOneDepth(all.filter((b) => b.level === level));
  if (cuts.length === 0 || cuts[0]!.depth === 0) return cuts;
  const nested = all.filter((b) => b.level <= level);
  // A real heading before the first section is a lead story, not part of the intro.
  const lead = all.find((b) => b.level <= 6 && b.cut < nested[0]!.cut);
  return lead ? [lead, ...nested] : nested;
}

/**
 * A boundary with nothing under it (a heading straight before the next) is no item of its own: the
 * next item starts where it did. (A lead-in's paragraph is its content.) `end`: the content counter where the last one's range ends.
 */
function foldEmpty(cuts: Boundary[], end: number): Boundary[] {
  const out: Boundary[] = [];
  let pending: Boundary | undefined;
  cuts.forEach((b, k) => {
    const next = k + 1 < cuts.length ? cuts[k + 1]!.before : end;
    const from = pending ?? b;
    pending = undefined;
    const kept = from === b ? b : { ...b, cut: from.cut, open: from.open, before: from.before };
    if (next === b.after && b.level < LEAD_IN && k + 1 < cuts.length) pending = kept;
    else out.push(kept);
  });
  return out;
}

interface Head {
  id: string;
  title: string;
  anchor?: string;
}

interface Range extends Slice {
  open: number[];
  close: number[];
}

/** An issue being cut: its bytes, every boundary and break the scan found, and how it is cut. */
interface Cutting {
  html: Uint8Array;
  view: DataView;
  boundaries: Boundary[];
  breaks: Mark[];
  titles: TitleCache;
  /** Cut only where the feed says (./named.ts). */
  named: boolean;
}

/** A section over `range`, below `level`, cut into topics; `endContent`: the content counter at its end. */
function makeSection(issue: Cutting, head: Head, range: Range, level: number, endContent: number, heading?: Boundary): SectionSlice {
  const inside = issue.boundaries.filter((b) => b.cut >= range.start && b.cut < range.end && b !== heading);
  const topicLevel = issue.named ? (inside.some((b) => b.level === NAMED_TOPIC) ? NAMED_TOPIC : 0) : chooseLevel(inside, level, 2);
  // Where bold lines are the topics, a paragraph's lead-in is one too (a story among short items),
  // and where lead-ins are, a lone bold line is (a short item after the stories).
  const tier = topicLevel === BOLD_LINE || topicLevel === LEAD_IN;
  const chosen = inside.filter((b) => b.level === topicLevel || (tier && (b.level === BOLD_LINE || b.level === LEAD_IN)));
  const boundaries = !topicLevel ? [] : issue.named ? chosen : foldEmpty(atOneDepth(chosen), endContent);
  const topics = makeTopics(issue, head, range, boundaries);
  if (topicLevel >= BOLD_LINE) endAtBreak(topics, issue.breaks, boundaries[boundaries.length - 1], head, range, endContent);
  return { ...sliceOf(head, range.start, range.open, range.end, range.close), topics };
}

function makeTopics({ html, view, titles }: Cutting, head: Head, range: Range, boundaries: Boundary[]): TopicSlice[] {
  if (boundaries.length === 0) return [sliceOf(head, range.start, range.open, range.end, range.close)];
  const topics: TopicSlice[] = [];
  const ids = new Set<string>();
  const first = boundaries[0]!;
  const leadInText = textOf(html, range.start, first.cut, view);
  // A long lead-in is a topic of its own; a short one joins the first topic.
  const own = leadInText.length - (head.id === INTRO ? 0 : head.title.length) >= LEAD_IN_MAX_TEXT;
  if (own) {
    ids.add(head.id);
    topics.push(sliceOf(head, range.start, range.open, first.cut, first.open));
  }
  for (let k = 0; k < boundaries.length; k++) {
    const b = boundaries[k]!;
    const next = boundaries[k + 1];
    const [start, open] = k === 0 && !own ? [range.start, range.open] : [b.cut, b.open];
    const name = { id: unique(titles.slug(b.title) || "topic", ids), title: b.title, anchor: b.anchor };
    topics.push(next ? sliceOf(name, start, open, next.cut, next.open) : sliceOf(name, start, open, range.end, range.close));
  }
  return topics;
}

/**
 * A topic marked by a bold line runs on to the next such line: the last of a section ends at a
 * thematic break after it (what follows the break, a link list or a sign-off, is the section's
 * own item, named after it).
 */
function endAtBreak(topics: TopicSlice[], breaks: Mark[], last: Boundary | undefined, head: Head, range: Range, endContent: number): void {
  const topic = topics[topics.length - 1]!;
  if (!last || topic.id === head.id) return;
  const hr = breaks.find((m) => m.cut > last.cut && m.cut < range.end && m.open.length <= last.open.length);
  if (!hr || hr.before === endContent) return;
  const ids = new Set(topics.map((t) => t.id));
  topic.end = hr.cut;
  setClose(topic, hr.open);
  topics.push(sliceOf({ ...head, id: unique(head.id, ids) }, hr.cut, hr.open, range.end, range.close));
}

/** A named slice, with its open and close lists only where it is inside nested elements. */
function sliceOf(head: Head, start: number, open: number[], end: number, close: number[]): TopicSlice {
  const slice: TopicSlice = { id: head.id, title: head.title, anchor: head.anchor, start, end };
  if (open.length) slice.open = open;
  if (close.length) slice.close = close;
  return slice;
}

function setClose(slice: Slice, close: number[]): void {
  if (close.length) slice.close = close;
  else delete slice.close;
}

/**
 * Byte offsets → UTF-16 offsets, in place; returns the HTML's length as a string. The slices'
 * ends are in order and take one forward pass; the offsets of open elements, when there are any,
 * another over them sorted.
 */
function toUtf16(utf8: Utf8Html, sections: SectionSlice[]): number {
  const offsets: number[] = [];
  for (const s of sections) {
    offsets.push(s.start);
    for (const t of s.topics) offsets.push(t.start, t.end);
    offsets.push(s.end);
  }
  offsets.push(utf8.bytes.length);
  const slices: Slice[] = sections.some((s) => s.open || s.close || s.topics.some((t) => t.open || t.close)) ? sections.flatMap((s) => [s, ...s.topics]) : [];
  const nested = [...new Set(slices.flatMap((s) => [...(s.open ?? []), ...(s.close ?? [])]))].sort((a, b) => a - b);
  toUtf16Offsets(utf8, offsets);
  let k = 0;
  for (const s of sections) {
    s.start = offsets[k++]!;
    for (const t of s.topics) {
      t.start = offsets[k++]!;
      t.end = offsets[k++]!;
    }
    s.end = offsets[k++]!;
  }
  if (nested.length) {
    const units = toUtf16Offsets(utf8, [...nested]);
    const at = new Map(nested.map((b, k) => [b, units[k]!]));
    for (const s of slices) {
      if (s.open) s.open = s.open.map((b) => at.get(b)!);
      if (s.close) s.close = s.close.map((b) => at.get(b)!);
    }
  }
  return offsets[k]!;
}

/**
 * A slice's HTML as an item serves it: its range of the issue, with the elements open at its start
 * re-opened before it and those open at its end closed after it, so that it is well-formed.
 */
export function sliceHtml(html: string, slice: Slice): string {
  const body = html.slice(slice.start, slice.end);
  if (!slice.open && !slice.close) return body;
  const [before, after] = sliceWrap(html, slice);
  return before + body + after;
}

/** The start tags a slice re-opens and the end tags it closes with. */
export function sliceWrap(html: string, slice: Slice): [string, string] {
  const before = (slice.open ?? []).map((at) => html.slice(at, html.indexOf(">", at) + 1)).join("");
  const names = (slice.close ?? []).map((at) => /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(at, at + 32))?.[1]?.toLowerCase() ?? "");
  const after = names.reverse().map((name) => (name ? `</${name}>` : "")).join("");
  return [before, after];
}

/**
 * The fragment (without "#") that points at a section or topic in the upstream page, if one can
 * be made: its anchor as stored, which is absent when it is the title's text fragment (most are:
 * the state does not carry them, a third of its size), "" when there is none.
 */
export function sliceAnchor(slice: { anchor?: string; title: string }): string | undefined {
  return slice.anchor === undefined ? textFragment(slice.title) : slice.anchor || undefined;
}

function unique(id: string, taken: Set<string>): string {
  let out = id;
  for (let k = 2; taken.has(out); k++) out = `${id}-${k}`;
  taken.add(out);
  return out;
}
