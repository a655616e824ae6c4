import type { IssueSplit, SectionSlice, TopicSlice } from "../../src/model.js";
import { collapseWhitespace, htmlBytesToText, htmlToText, isUnicodeSpaceAt, slugify, textFragment } from "../../src/lib/text.js";
import { findAngle, findByte, viewOf } from "../../src/lib/bytes.js";
import { toUtf16Offsets, type Utf8Html, utf8Bytes, utf8Text } from "../../src/lib/utf8.js";
import { type Preset, sectionId } from "../../src/split/presets.js";
import { type Mark, scanTopLevel } from "./scan.js";


/** Section and topic id of the text before the first heading. */
export const INTRO = "intro";

/**
 * A section's lead-in (its heading and what stands before its first topic) is folded into the
 * first topic when it has less text than this, so that a topic feed does not get an item that is
 * only a heading and a one-line note.
 */
const LEAD_IN_MAX_TEXT = 300;
/** A bold paragraph longer than this is emphasis, not a topic heading. */
const BOLD_HEADING_MAX_TEXT = 200;
/** What may follow the bold run of a bold-paragraph heading: a colon, or a short note in parentheses. */
const BOLD_HEADING_TAIL = /^(?:\([^()]{0,60}\))?\s*:?$/;

interface Boundary {
  start: number;
  title: string;
  anchor?: string;
}

/**
 * Cut an issue into sections and topics by slicing its HTML at top-level headings.
 * Sections and topics are contiguous and cover the body exactly: concatenating the slices gives
 * the body back, so nothing is lost and nothing is duplicated. Offsets are in UTF-16 units of
 * the HTML as a string, whether it is given as a string or as its UTF-8 bytes.
 */
export function splitIssue(html: string | Uint8Array, preset: Preset): IssueSplit {
  return splitBytes({ bytes: typeof html === "string" ? utf8Bytes(html) : html }, preset).split;
}

/**
 * `splitIssue` on the HTML's UTF-8 bytes, and the length of the HTML as a string: the issue is
 * scanned and cut in bytes, only headings and bold paragraphs become strings. What the decoder
 * noted (`Utf8Html`: where the tags and the multi-byte characters are) spares the passes that
 * would find them.
 */
export function splitBytes(utf8: Utf8Html, preset: Preset, titles = new TitleCache()): { split: IssueSplit; length: number } {
  const html = utf8.bytes;
  const view = viewOf(html);
  const marks = scanTopLevel(html, utf8.lt);
  const headings = marks.filter((m) => m.kind === "h");
  const level = chooseLevel(headings, 0, 1);
  const cuts = headings.filter((h) => h.level === level);

  const sections: SectionSlice[] = [];
  const ids = new Set<string>();
  const firstStart = cuts.length ? cuts[0]!.start : html.length;
  // Text before the first heading is the intro; whitespace alone is not worth an item.
  if (cuts.length === 0 || !isBlank(html, 0, firstStart)) {
    sections.push(makeSection(html, view, marks, titles, INTRO, "Intro", "", 0, firstStart, level));
    ids.add(INTRO);
  }
  cuts.forEach((h, k) => {
    const title = headingText(html, view, h);
    const id = unique(sectionId(title, preset) || "section", ids);
    const start = sections.length === 0 ? 0 : h.start;
    const end = k + 1 < cuts.length ? cuts[k + 1]!.start : html.length;
    sections.push(makeSection(html, view, marks, titles, id, title || id, anchorOf(html, h, title), start, end, level, h));
  });
  // Byte offsets → UTF-16 offsets, in one forward pass (the slices are in order).
  const offsets: number[] = [];
  for (const s of sections) {
    offsets.push(s.start);
    for (const t of s.topics) offsets.push(t.start, t.end);
    offsets.push(s.end);
  }
  offsets.push(html.length);
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
  return { split: { sections }, length: offsets[k]! };
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

/** Whether bytes [start, end) are only whitespace (as String.prototype.trim sees it). */
function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = b[k]!;
    if (c >= 0x80) return utf8Text(b, k, end).trim() === "";
    if (!(c === 32 || (c >= 9 && c <= 13))) return false;
  }
  return true;
}

/**
 * The heading level an issue (or a section) is cut at: the shallowest level deeper than `below`
 * that is used at least `min` times — so one stray heading neither fragments the issue nor hides
 * its real structure. With `min` 1 that is simply the shallowest level present.
 */
function chooseLevel(headings: Mark[], below: number, min: number): number {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const h of headings) if (h.level > below) counts[h.level]!++;
  for (let l = below + 1; l <= 6; l++) if (counts[l]! >= 2) return l;
  if (min <= 1) for (let l = below + 1; l <= 6; l++) if (counts[l]! >= 1) return l;
  return 0;
}

function makeSection(
  html: Uint8Array,
  view: DataView,
  marks: Mark[],
  titles: TitleCache,
  id: string,
  title: string,
  anchor: string | undefined,
  start: number,
  end: number,
  level: number,
  heading?: Mark,
): SectionSlice {
  const inside = marks.filter((m) => m.start >= start && m.start < end && m !== heading);
  // Topics: the next heading level used at least twice; else bold-paragraph headings.
  const topicLevel = chooseLevel(inside.filter((m) => m.kind === "h"), level, 2);
  let boundaries: Boundary[];
  if (topicLevel) {
    boundaries = inside
      .filter((m) => m.kind === "h" && m.level === topicLevel)
      .map((m) => {
        const t = headingText(html, view, m);
        return { start: m.start, title: t, anchor: anchorOf(html, m, t) };
      });
  } else {
    boundaries = [];
    for (const m of inside) {
      const t = m.kind === "p" ? boldParagraphText(html, view, m) : undefined;
      if (t) boundaries.push({ start: m.start, title: t }); // (its anchor: its title's text fragment)
    }
  }
  return { id, title, anchor, start, end, topics: makeTopics(html, view, titles, id, title, anchor, start, end, boundaries) };
}

function makeTopics(
  html: Uint8Array,
  view: DataView,
  titles: TitleCache,
  sectionId: string,
  sectionTitle: string,
  sectionAnchor: string | undefined,
  start: number,
  end: number,
  boundaries: Boundary[],
): TopicSlice[] {
  const topics: TopicSlice[] = [];
  const ids = new Set<string>();
  if (boundaries.length === 0) {
    return [{ id: sectionId, title: sectionTitle, anchor: sectionAnchor, start, end }];
  }
  const leadInText = textOf(html, start, boundaries[0]!.start, view);
  let first = boundaries[0]!.start;
  if (leadInText.length - (sectionId === INTRO ? 0 : sectionTitle.length) >= LEAD_IN_MAX_TEXT) {
    ids.add(sectionId);
    topics.push({ id: sectionId, title: sectionTitle, anchor: sectionAnchor, start, end: first });
  } else {
    first = start;
  }
  boundaries.forEach((b, k) => {
    topics.push({
      id: unique(titles.slug(b.title) || "topic", ids),
      title: b.title,
      anchor: b.anchor,
      start: k === 0 ? first : b.start,
      end: k + 1 < boundaries.length ? boundaries[k + 1]!.start : end,
    });
  });
  return topics;
}

function headingText(html: Uint8Array, view: DataView, m: Mark): string {
  return textOf(html, m.innerStart, m.innerEnd, view);
}

/**
 * `<p><strong>Meta Llama 3 Release</strong></p>` → "Meta Llama 3 Release"; else undefined.
 * A short tail after the bold run is allowed, as in AINews' per-channel summaries:
 * `<p><strong>Perplexity AI ▷ #general</strong> (1059 messages🔥): </p>`.
 */
function boldParagraphText(html: Uint8Array, view: DataView, m: Mark): string | undefined {
  // Most paragraphs are not bold headings: tell from their bytes, without decoding them.
  let at = m.innerStart;
  while (at < m.innerEnd && isAsciiSpace(html[at]!)) at++;
  if (at === m.innerEnd) return undefined;
  const run = html[at]! < 128 ? boldRun(html, view, at, m.innerEnd) : undefined;
  if (run === null) return undefined;
  let text: string;
  let tail: string;
  if (run) {
    // Most tails are plain text, told from their bytes; others become text first, unless they
    // are surely too long.
    const fits = isHeadingTail(html, run.closeEnd, m.innerEnd);
    if (fits === false) return undefined;
    if (fits === undefined && moreTextThan(html, view, run.closeEnd, m.innerEnd, BOLD_TAIL_MAX_TEXT)) return undefined;
    tail = fits ? "" : textOf(html, run.closeEnd, m.innerEnd, view);
    text = run.open >= 0 ? textOf(html, run.open, run.close, view) : htmlBytesToText(html, at, run.close, view);
  } else {
    // Unusual bytes (a non-ASCII space first, a non-ASCII byte after the tag name): as a string.
    const inner = utf8Text(html, at, m.innerEnd).trim();
    const open = /^<(strong|b)(?:\s[^>]*)?>/i.exec(inner);
    if (!open) return undefined;
    const close = `</${open[1]!.toLowerCase()}>`;
    const closeAt = indexOfIgnoreCase(inner, close);
    if (closeAt < 0) return undefined;
    tail = htmlToText(inner.slice(closeAt + close.length));
    text = htmlToText(inner.slice(0, closeAt));
  }
  if (!BOLD_HEADING_TAIL.test(tail)) return undefined;
  return text && text.length <= BOLD_HEADING_MAX_TEXT ? (text.endsWith(":") ? text.slice(0, -1) : text) : undefined;
}

/**
 * Whether the text of bytes [from, to) matches BOLD_HEADING_TAIL, told from plain bytes: spaces,
 * an optional parenthesis of at most 60 UTF-16 units of text (a run of spaces is one), spaces, an
 * optional colon, spaces. Undefined when the bytes cannot tell (markup, a reference, a space
 * beyond ASCII): ask the regex.
 */
function isHeadingTail(b: Uint8Array, from: number, to: number): boolean | undefined {
  let k = skipSpaces(b, from, to);
  if (k < to && b[k] === 40 /* ( */) {
    let units = 0;
    let space = false;
    for (k++; k < to && b[k] !== 41 /* ) */; ) {
      const c = b[k]!;
      if (c === 60 || c === 38) return undefined;
      if (c === 40) return false; // "(" inside: no match
      if (isSpaceByte(c)) {
        if (!space) units++;
        space = true;
        k++;
        continue;
      }
      space = false;
      if (c < 0x80) {
        units++;
        k++;
      } else {
        if (isUnicodeSpaceAt(b, k)) return undefined;
        units += c >= 0xf0 ? 2 : 1;
        k += c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      }
    }
    if (k >= to || units > 60) return false;
    k++;
  }
  k = skipSpaces(b, k, to);
  if (k < to && b[k] === 58 /* : */) k = skipSpaces(b, k + 1, to);
  if (k === to) return true;
  const c = b[k]!;
  return c === 60 || c === 38 || isUnicodeSpaceAt(b, k) ? undefined : false;
}

function skipSpaces(b: Uint8Array, k: number, to: number): number {
  while (k < to && isSpaceByte(b[k]!)) k++;
  return k;
}

/** What `\s` matches in ASCII. */
function isSpaceByte(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** htmlToText of bytes [start, end), without htmlToText's passes when they are plain text. */
function textOf(b: Uint8Array, start: number, end: number, view?: DataView): string {
  let collapse = false; // whether there are spaces to collapse or trim
  let space = true; // the byte before was a space, or there was none
  for (let k = start; k < end; k++) {
    const c = b[k]!;
    if (c === 60 || c === 38) return htmlBytesToText(b, start, end, view);
    if (c === 32 || (c >= 9 && c <= 13)) {
      if (space || c !== 32) collapse = true;
      space = true;
    } else {
      if (c >= 0xc2 && isUnicodeSpaceAt(b, k)) collapse = true;
      space = false;
    }
  }
  if (start === end) return "";
  const text = utf8Text(b, start, end);
  return collapse || space ? collapseWhitespace(text) : text;
}

/**
 * The bold run a paragraph whose content starts at `at` (an ASCII byte) opens with: where its
 * end tag starts and ends. Null when the paragraph surely is no bold heading: it does not start
 * with <b or <strong, its bold run never ends, or the run's text is too long (`moreTextThan`).
 * Undefined when the bytes cannot tell (read it as a string).
 */
function boldRun(b: Uint8Array, view: DataView, at: number, end: number): { open: number; close: number; closeEnd: number } | null | undefined {
  if (b[at] !== 60 /* < */) return null;
  const name = (b[at + 1]! | 32) === 98 /* b */ ? B : STRONG;
  if (!matchesAsciiCase(b, at + 1, name)) return null;
  const after = b[at + 1 + name.length]!;
  if (after >= 0x80) return undefined; // perhaps a space
  if (!(after === 62 || isAsciiSpace(after))) return null;
  for (let k = findByte(b, view, 60, at + 1); k >= 0 && k < end; k = findByte(b, view, 60, k + 1)) {
    if (b[k + 1] === 47 && matchesAsciiCase(b, k + 2, name) && b[k + 2 + name.length] === 62) {
      const closeEnd = k + 3 + name.length;
      // (A run of no more bytes than that cannot hold more characters: not counted.)
      if (k - at > BOLD_HEADING_MAX_TEXT && moreTextThan(b, view, at, k, BOLD_HEADING_MAX_TEXT)) return null;
      // Where the run's content starts: after its start tag, or -1 when that has attributes.
      return { open: after === 62 ? at + 2 + name.length : -1, close: k, closeEnd };
    }
  }
  return null;
}

const B = [98];
const STRONG = [115, 116, 114, 111, 110, 103];
/** Characters BOLD_HEADING_TAIL lets through besides spaces: "(", 60, ")", ":". */
const BOLD_TAIL_MAX_TEXT = 63;

/** Whether b[at…] is `name` (lower-case ASCII letters) in any case. */
function matchesAsciiCase(b: Uint8Array, at: number, name: number[]): boolean {
  for (let k = 0; k < name.length; k++) if ((b[at + k]! | 32) !== name[k]) return false;
  return true;
}

/**
 * Whether bytes [from, to) of HTML surely hold more than `max` characters of text: ASCII bytes
 * that are not spaces, outside tags and character references, are counted. Anything unusual (a
 * comment, a "<" inside a tag) stops the count: not surely more.
 */
function moreTextThan(b: Uint8Array, view: DataView, from: number, to: number, max: number): boolean {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = b[k]!;
    if (c === 60 /* < */) {
      const d = b[k + 1] === 47 ? b[k + 2]! | 32 : b[k + 1]! | 32;
      if (d < 97 || d > 122) {
        if (b[k + 1] === 33) return false; // a comment or the like
        count++;
        continue;
      }
      // To the tag's ">", which must come before `to` and before any other "<".
      const gt = findAngle(b, view, k + 1, to);
      if (gt >= to || b[gt] === 60) return false;
      k = gt;
    } else if (c === 38 /* & */) {
      while (k + 1 < to && b[k + 1] !== 59 && !isAsciiSpace(b[k + 1]!) && b[k + 1] !== 60) k++;
    } else if (c < 128 && !isAsciiSpace(c) && ++count > max) {
      return true;
    }
  }
  return false;
}

/** First index of `needle` ("</…>", lower case) in `s`, in any case; -1 if none. */
function indexOfIgnoreCase(s: string, needle: string): number {
  for (let k = s.indexOf("</"); k >= 0; k = s.indexOf("</", k + 2)) {
    if (s.slice(k, k + needle.length).toLowerCase() === needle) return k;
  }
  return -1;
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

/** A heading's anchor as stored: its id attribute; else undefined (its title's text fragment), or "" (none) when untitled. */
function anchorOf(html: Uint8Array, m: Mark, title: string): string | undefined {
  // An id attribute needs an "=" in the start tag (most headings have none).
  if (hasByte(html, 61, m.start, m.innerStart)) {
    const id = /\sid\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))/i.exec(utf8Text(html, m.start, m.innerStart));
    const value = id && (id[1] ?? id[2] ?? id[3]);
    if (value) return value;
  }
  return title ? undefined : "";
}

/**
 * The fragment (without "#") that points at a section or topic in the upstream page, if one can
 * be made: its anchor as stored, which is absent when it is the title's text fragment (most are:
 * the state does not carry them, a third of its size), "" when there is none.
 */
export function sliceAnchor(slice: { anchor?: string; title: string }): string | undefined {
  return slice.anchor === undefined ? textFragment(slice.title) : slice.anchor || undefined;
}

function hasByte(b: Uint8Array, c: number, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (b[k] === c) return true;
  return false;
}

function unique(id: string, taken: Set<string>): string {
  let out = id;
  for (let k = 2; taken.has(out); k++) out = `${id}-${k}`;
  taken.add(out);
  return out;
}
