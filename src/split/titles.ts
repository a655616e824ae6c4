/**
 * The titles of the elements an issue is cut at, read from the HTML's UTF-8 bytes: a heading's
 * text, a bold paragraph's bold run (with the short tail AINews puts after it), a lead-in's bold
 * words. Most paragraphs are no bold heading, and that is told from their bytes without decoding
 * them.
 */
import { findAngle, findByte } from "../lib/bytes.js";
import { collapseWhitespace, htmlBytesToText, htmlToText, isUnicodeSpaceAt } from "../lib/text.js";
import { utf8Text } from "../lib/utf8.js";
import type { Mark } from "./scan.js";

/** Where an element and its content are (a mark's, or any scanner's). */
type Element = Pick<Mark, "start" | "innerStart" | "innerEnd">;

/** A bold paragraph longer than this is emphasis, not a topic heading. */
export const BOLD_HEADING_MAX_TEXT = 200;
/** What may follow the bold run of a bold-paragraph heading: a colon, or a short note in parentheses. */
const BOLD_HEADING_TAIL = /^(?:\([^()]{0,60}\))?\s*:?$/;

export function headingText(html: Uint8Array, view: DataView, m: Element): string {
  return textOf(html, m.innerStart, m.innerEnd, view);
}

/**
 * `<p><strong>Meta Llama 3 Release</strong></p>` → "Meta Llama 3 Release"; else undefined.
 * A short tail after the bold run is allowed, as in AINews' per-channel summaries:
 * `<p><strong>Perplexity AI ▷ #general</strong> (1059 messages🔥): </p>`.
 */
export function boldParagraphText(html: Uint8Array, view: DataView, m: Element): string | undefined {
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
export function textOf(b: Uint8Array, start: number, end: number, view?: DataView): string {
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
export function boldRun(b: Uint8Array, view: DataView, at: number, end: number): { open: number; close: number; closeEnd: number } | null | undefined {
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
export function anchorOf(html: Uint8Array, m: Element, title: string): string | undefined {
  // An id attribute needs an "=" in the start tag (most headings have none).
  if (hasByte(html, 61, m.start, m.innerStart)) {
    const id = /\sid\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))/i.exec(utf8Text(html, m.start, m.innerStart));
    const value = id && (id[1] ?? id[2] ?? id[3]);
    if (value) return value;
  }
  return title ? undefined : "";
}

function hasByte(b: Uint8Array, c: number, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (b[k] === c) return true;
  return false;
}


/** A lead-in (the bold words that open a paragraph) longer than this is emphasis, not a topic's name. */
const LEAD_IN_MAX_TEXT = 100;

/**
 * `<p><strong>A name.</strong> The text about it…</p>` → "A name"; the bold run may sit in a link,
 * or be a large run the scan found (`lead`). Undefined when the paragraph does not open with such a
 * run of at most LEAD_IN_MAX_TEXT characters.
 */
export function leadInText(html: Uint8Array, view: DataView, m: Element & Pick<Mark, "lead">): string | undefined {
  let at = skipSpaces(html, m.innerStart, m.innerEnd);
  if ((html[at + 1]! | 32) === 97 /* <a */ && !CODE_AFTER_A(html[at + 2]!)) at = skipSpaces(html, html.indexOf(62, at) + 1, m.innerEnd);
  const run = boldRun(html, view, at, m.innerEnd);
  if (!run && !m.lead) return undefined;
  // (A large run, `lead`, is read with its tags: its end is where its end tag ends.)
  const text = !run ? htmlBytesToText(html, m.innerStart, m.lead, view) : run.open >= 0 ? textOf(html, run.open, run.close, view) : htmlBytesToText(html, at, run.close, view);
  const name = text.replace(/\s*[:.\u2014\u2013-]$/, "");
  return name && name.length <= LEAD_IN_MAX_TEXT ? name : undefined;
}

/** Whether the byte after "<a" continues a longer name (abbr, address…). */
const CODE_AFTER_A = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;

/** A bold line that opens like a quotation, an attribution or an aside is no title. */
const NO_TITLE_START = /^[\u201c\u201d\u201e\u2018\u00ab"'(\u2014\u2013-]/;

const WORD = /[\p{L}\p{N}]/u;

/** A bold sentence is emphasis: more than 6 words ending in a full stop, or more than 25. */
function isSentence(text: string): boolean {
  const words = text.split(/\s+/).length;
  return words > 25 || (words > 6 && /[^.]\.$/.test(text));
}

/** A line's title: its text, when it is short enough to be a heading (a trailing colon dropped). */
export function lineText(html: Uint8Array, view: DataView, m: Mark): string | undefined {
  const text = textOf(html, m.innerStart, m.innerEnd, view);
  if (!text || text.length > BOLD_HEADING_MAX_TEXT || NO_TITLE_START.test(text) || !WORD.test(text)) return undefined;
  // In an email's layout bold sentences are emphasis; in markdown a bold paragraph is a heading.
  if (m.depth > 0 && isSentence(text)) return undefined;
  return text.endsWith(":") ? text.slice(0, -1).trimEnd() : text;
}
