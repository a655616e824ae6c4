/**
 * Byte-level readers of markup for the splitter's scanner (./scan.ts): a start tag's class and
 * style attributes, where a tag, a comment or an element ends, whether a run of text is blank or
 * holds words. They look at bytes only, and build no string but the attribute values they return.
 */
import { findByte } from "../lib/bytes.js";
import { asciiName, CODE6, RAW_TEXT_ELEMENTS } from "../lib/tags.js";
import { htmlBytesToText, isUnicodeSpaceAt } from "../lib/text.js";
import { classFlags, styleFlags } from "./style.js";

const LT = 60; // <
const GT = 62; // >

/**
 * Style flags from a start tag's class and style attributes (`from`: just after its name); its
 * class names, as a number (`classKey`), into `seen.classKey` (0 when it has none).
 */
export function attributeFlags(b: Uint8Array, view: DataView, from: number, end: number, seen: { classKey: number }): number {
  let flags = 0;
  seen.classKey = 0;
  forAttributes(b, view, from, end, (name, value) => {
    if (name === STYLE) flags |= styleFlags(value());
    else if (name === CLASS) {
      const classes = value();
      flags |= classFlags(classes);
      seen.classKey = classKey(classes);
    }
  });
  return flags;
}

/**
 * Class names (lower case) as a number, never 0 when there is one: the same names in the same
 * order, however spaced, give the same number (a template writes "content el-content " here and
 * "content el-content" there).
 */
export function classKey(classes: string): number {
  let h = 0x811c9dc5;
  let space = true; // at the start, or after a space: a name's first character is next
  let any = false;
  for (let k = 0; k < classes.length; k++) {
    const c = classes.charCodeAt(k);
    if (c === 32 || (c >= 9 && c <= 13)) {
      space = true;
      continue;
    }
    if (space && any) h = Math.imul(h ^ 32, 0x01000193);
    space = false;
    any = true;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return any ? h || 1 : 0;
}

/** The class names of a start tag (`from`: just after its name). */
export function classesOf(b: Uint8Array, view: DataView, from: number, end: number): string[] {
  let classes: string[] = [];
  forAttributes(b, view, from, end, (name, value) => {
    if (name === CLASS) classes = value().split(/\s+/).filter(Boolean);
  });
  return classes;
}

/** Calls `found` for each class or style attribute of a start tag, with its value (lower case) on demand. */
function forAttributes(b: Uint8Array, view: DataView, from: number, end: number, found: (name: number[], value: () => string) => void): void {
  let k = from;
  while (k < end) {
    while (k < end && (b[k] === 32 || b[k] === 10 || b[k] === 9 || b[k] === 13 || b[k] === 12 || b[k] === 47)) k++;
    const nameStart = k;
    while (k < end && b[k] !== 61 && b[k] !== 32 && b[k] !== 62 && b[k] !== 10 && b[k] !== 9) k++;
    const nameEnd = k;
    if (b[k] !== 61) continue;
    k++;
    let valueStart = k;
    let valueEnd: number;
    const q = b[k];
    if (q === 34 || q === 39) {
      valueStart = k + 1;
      valueEnd = findByte(b, view, q, valueStart);
      if (valueEnd < 0 || valueEnd > end) valueEnd = end;
      k = valueEnd + 1;
    } else {
      while (k < end && b[k] !== 32 && b[k] !== 62) k++;
      valueEnd = k;
    }
    if (nameEnd - nameStart !== 5) continue;
    const value = () => asciiName(b, valueStart, valueEnd);
    if (isName(b, nameStart, CLASS)) found(CLASS, value);
    else if (isName(b, nameStart, STYLE)) found(STYLE, value);
  }
}

const CLASS = [99, 108, 97, 115, 115];
const STYLE = [115, 116, 121, 108, 101];

function isName(b: Uint8Array, at: number, name: number[]): boolean {
  for (let m = 0; m < name.length; m++) if ((b[at + m]! | 32) !== name[m]) return false;
  return true;
}

/** Whether a paragraph's content [from, to) opens with a bold element (b, strong), perhaps inside a link. */
export function opensBold(b: Uint8Array, from: number, to: number): boolean {
  let k = from;
  while (k < to && (b[k] === 32 || b[k] === 10 || b[k] === 9 || b[k] === 13)) k++;
  if (b[k] !== LT) return false;
  if ((b[k + 1]! | 32) === 97 && (b[k + 2] === GT || b[k + 2] === 32)) {
    k = b.indexOf(GT, k) + 1; // <a …>
    if (b[k] !== LT) return false;
  }
  const c = b[k + 1]! | 32;
  const d = b[k + 2]!;
  return (c === 98 && (d === GT || d === 32)) || (c === 115 && isName(b, k + 1, STRONG_NAME));
}
const STRONG_NAME = [115, 116, 114, 111, 110, 103];

/**
 * Whether text bytes [from, to) are blank: spaces, no-break spaces (as the character or its
 * references &nbsp; &#160; &#xa0;) and zero-width spaces, which email templates fill cells with.
 */
export function isBlankText(b: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = b[k]!;
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    if (c === 38 /* & */) {
      const end = b.indexOf(59 /* ; */, k);
      if (end < 0 || end - k > 7 || !BLANK_REFERENCES.has(asciiName(b, k + 1, end))) return false;
      k = end;
    } else if (c >= 0xc2 && (isUnicodeSpaceAt(b, k) || isZeroWidthAt(b, k))) {
      k += c >= 0xe0 ? 2 : 1;
    } else return false;
  }
  return true;
}

const BLANK_REFERENCES = new Set(["nbsp", "#160", "#xa0", "zwnj", "zwj", "#8203", "#x200b", "#8204", "#847", "#x34f"]);

/** U+200B–U+200D, U+FEFF, U+034F (the combining grapheme joiner preheaders repeat). */
function isZeroWidthAt(b: Uint8Array, k: number): boolean {
  const c = b[k]!;
  if (c === 0xe2) return b[k + 1] === 0x80 && b[k + 2]! >= 0x8b && b[k + 2]! <= 0x8d;
  if (c === 0xef) return b[k + 1] === 0xbb && b[k + 2] === 0xbf;
  return c === 0xcd && b[k + 1] === 0x8f;
}

/**
 * Whether text bytes [from, to) hold a letter or a digit: an emoji or a dash beside a bold title
 * (`<p>💕 <strong>Your turn</strong></p>`) leaves it a bold line.
 */
export function hasWords(b: Uint8Array, from: number, to: number): boolean {
  let other = false; // a byte beyond ASCII, or a character reference: perhaps a letter
  for (let k = from; k < to; k++) {
    const c = b[k]!;
    if (((c | 32) >= 97 && (c | 32) <= 122) || (c >= 48 && c <= 57)) return true;
    if (c >= 0x80) other = true;
    else if (c === 38 /* & */) {
      other = true;
      while (k + 1 < to && b[k + 1] !== 59 /* ; */ && b[k + 1] !== 32) k++; // past its name
    }
  }
  return other && WORDS.test(htmlBytesToText(b, from, to));
}
const WORDS = /[\p{L}\p{N}]/u;

/**
 * Past the end tag of the element named html[nameStart, nameEnd) whose content starts at `from`,
 * as the stack would find it: counting the same name's start tags (not self-closing) and end
 * tags, tags read whole (quoted values skipped), comments and raw-text elements skipped. Walks
 * `lt` from index `t`; returns the index in `lt` of the first "<" after the element, or -1 when
 * it is never closed.
 */
export function skipElement(html: Uint8Array, view: DataView, lt: Int32Array, t: number, from: number, nameStart: number, nameEnd: number): number {
  const length = nameEnd - nameStart;
  const count = lt.length;
  let open = 1;
  while (t < count && lt[t]! < from) t++;
  while (t < count) {
    const k = lt[t]!;
    const c = html[k + 1]!;
    let next = k + 1; // where the next tag may start
    const closing = c === 47;
    const s = closing ? k + 2 : k + 1;
    // A name of one or two letters and ">" (li, /a, em…): no attributes to read past.
    const short = html[s + 1] === GT ? 1 : html[s + 2] === GT && CODE6[html[s + 1]!] ? 2 : 0;
    if (short && ((html[s]! | 32) - 97) >>> 0 < 26) {
      next = s + short + 1;
      if (short === length && sameAsciiName(html, s, nameStart, length)) open += closing ? -1 : 1;
    } else if (c === 33 /* ! */) {
      next = bangEnd(html, k);
    } else {
      const first = html[s]! | 32;
      if (first >= 97 && first <= 122) {
        let j = s;
        while (j < html.length && CODE6[html[j]!]) j++;
        const tagEnd = findTagEnd(html, view, j);
        next = tagEnd + 1;
        if (j - s === length && sameAsciiName(html, s, nameStart, length)) {
          if (closing) open--;
          else if (html[tagEnd - 1] !== 47) open++;
        } else if (!closing && html[tagEnd - 1] !== 47 && isRawText(html, s, j)) {
          const close = indexOfCloseTag(html, s, j, next);
          if (close < 0) return -1;
          next = close + 2;
        }
      }
    }
    while (t < count && lt[t]! < next) t++;
    if (open === 0) return t;
  }
  return -1;
}

function sameAsciiName(b: Uint8Array, at: number, name: number, length: number): boolean {
  for (let m = 0; m < length; m++) if ((b[at + m]! | 32) !== (b[name + m]! | 32)) return false;
  return true;
}

/** Whether html[start, end) names a raw-text element (script, style…), in any case. */
function isRawText(html: Uint8Array, start: number, end: number): boolean {
  // No two of them share a length and a first letter: one name to compare, if any.
  const name = RAW_TEXT_BY_SHAPE[((end - start) << 7) | (html[start]! & 0x7f | 32)];
  if (name === undefined) return false;
  for (let k = 1; k < name.length; k++) if ((html[start + k]! | 32) !== name.charCodeAt(k)) return false;
  return true;
}

const RAW_TEXT_BY_SHAPE: (string | undefined)[] = [];
for (const name of RAW_TEXT_ELEMENTS.split(" ")) {
  RAW_TEXT_BY_SHAPE[(name.length << 7) | name.charCodeAt(0)] = name;
}

/** Past a "<!…" construct at `i`: a comment, a CDATA section, or a declaration. */
export function bangEnd(html: Uint8Array, i: number): number {
  if (html[i + 2] === 45 && html[i + 3] === 45) return find3(html, 45, 45, GT, i + 4); // -->
  if (startsWithCdata(html, i)) return find3(html, 93, 93, GT, i + 9); // ]]>
  return indexOrEnd(html, GT, i + 2) + 1;
}

function startsWithCdata(b: Uint8Array, i: number): boolean {
  // "<![CDATA["
  return b[i + 2] === 91 && b[i + 3] === 67 && b[i + 4] === 68 && b[i + 5] === 65 && b[i + 6] === 84 && b[i + 7] === 65 && b[i + 8] === 91;
}

/** Index just after the next `x y z` from `from`, or the end. */
function find3(b: Uint8Array, x: number, y: number, z: number, from: number): number {
  const n = b.length;
  for (let k = from; k + 2 < n; k++) if (b[k] === x && b[k + 1] === y && b[k + 2] === z) return k + 3;
  return n;
}

function indexOrEnd(b: Uint8Array, c: number, from: number): number {
  const at = b.indexOf(c, from);
  return at < 0 ? b.length : at;
}

/**
 * Index of the ">" that ends a tag whose name ends at `from`, skipping quoted attribute values
 * (a quote opens a value only after "="; an apostrophe elsewhere is just a character).
 */
export function findTagEnd(b: Uint8Array, view: DataView, from: number): number {
  const n = b.length;
  for (let k = from; k < n; k++) {
    const ch = b[k]!;
    if (ch === GT) return k;
    if (ch === 34 || ch === 39) {
      let p = k - 1;
      while (p > from && (b[p] === 32 || b[p] === 9 || b[p] === 10)) p--;
      if (b[p] === 61) {
        // A quoted value (a URL, usually): four bytes a step to its end.
        k = findByte(b, view, ch, k + 1);
        if (k < 0) return n - 1;
      }
    }
  }
  return n - 1;
}

/** The "</" of the end tag named like html[nameStart, nameEnd), ASCII case-insensitively, from `from`; -1 if none. */
export function indexOfCloseTag(b: Uint8Array, nameStart: number, nameEnd: number, from: number): number {
  const length = nameEnd - nameStart;
  for (let k = b.indexOf(LT, from); k >= 0; k = b.indexOf(LT, k + 1)) {
    if (b[k + 1] !== 47) continue;
    let m = 0;
    while (m < length && (b[k + 2 + m]! | 32) === (b[nameStart + m]! | 32)) m++;
    if (m === length) return k;
  }
  return -1;
}
