/**
 * A tag-level scanner over an issue's HTML as UTF-8 bytes: it finds, at any depth, the elements an
 * issue may be cut at (headings, lines that read as headings, paragraphs that open with a bold
 * run, thematic breaks), each with the byte offset to cut at and the elements open there, without
 * building a tree and without turning the HTML into a string. Offsets are only taken at ASCII
 * bytes (in UTF-8 an ASCII byte is always that character), so they fall between characters.
 *
 * It keeps a stack of the open elements, applying the HTML parsing rules that matter here (void
 * elements, a block start closing an open <p>, a heading closing an open heading, li/dt/dd closing
 * their open sibling, end tags closing what they skip, stray end tags ignored); comments, CDATA and
 * raw-text elements (script, style…) are skipped whole. Text is not decoded, only classified: a
 * counter goes up at each run of text that is not blank (spaces and no-break spaces are blank) and
 * at each image or embed, another at each run with words in it outside bold or large text, so that
 * "no content between two tags" and "all of it bold" are comparisons of counters.
 */
import { findByte, ltOf, viewOf } from "../lib/bytes.js";
import { asciiName, CLOSES_P_ELEMENTS, CODE6, HEADING_ELEMENTS, KeyTable, keyOf, MAX_KEYED, RAW_TEXT_ELEMENTS, VOID_ELEMENTS } from "../lib/tags.js";
import { htmlBytesToText, isUnicodeSpaceAt } from "../lib/text.js";
import { ASIDE_STYLE, BIG, BOLD, classFlags, styleFlags, SUBTITLE, WIDGET } from "./style.js";

export interface Mark {
  /**
   * "h": a heading h1–h6 with text; "line": a block (p, div, td…) whose text is all bold or large;
   * "p": a paragraph that opens with a bold run and goes on (a bold heading with a tail, or a
   * lead-in); "hr": a thematic break.
   */
  kind: "h" | "line" | "p" | "hr";
  /** A heading's level (1–6); 0 for the others. */
  level: number;
  /** Offset of the element's "<". */
  start: number;
  /** Offset just after its end tag (or where it was implicitly closed). */
  end: number;
  /** Inner HTML range. */
  innerStart: number;
  innerEnd: number;
  /**
   * Where an item that begins with this element begins: its "<", or that of the outermost
   * ancestor with no content before it (the table cell, row and table a title sits alone in).
   */
  cut: number;
  /** The "<" of each element open at `cut`, outermost first (none at the top level). */
  open: number[];
  /** The content counter at `cut` and at `end`: content lies between two offsets when they differ. */
  before: number;
  after: number;
  /** BIG, TITLE_CLASS: how the element or its ancestors are styled. */
  style: number;
  /** How many elements are open around the element itself. */
  depth: number;
}

/** What the scan found: the marks in document order, and the content counter at the end. */
export interface Scan {
  marks: Mark[];
  content: number;
}

const LT = 60; // <
const GT = 62; // >

// What a tag name means to the scanner, as bit flags: one lookup per tag.
const VOID = 1;
const RAW_TEXT = 2;
/** Start tags that close an open <p> (HTML's "close a p element" rule). */
const CLOSES_P = 4;
const HEADING = 8;
const PARAGRAPH = 16;
/** li, dt, dd: close an open one of them, up to the nearest list. */
const LIST_ITEM = 32;
const LIST = 64;
/** Blocks whose text, all bold or large, reads as a heading. */
const LINE_BLOCK = 128;
/** Content without text: an image, a video… */
const MEDIA = 256;
const ANCHOR = 512;
const HR = 1024;
/** Bold by what they are. */
const BOLD_ELEMENT = 2048;
/** Headings inside them are not the issue's: quotes, list items, figures, asides. */
const ASIDE = 4096;
/** Inline elements a title may be set in. */
const INLINE = 8192;

const KINDS = new KeyTable();
const kindOf = (key: number) => KINDS.get(key);
const flag = (names: string, f: number) => KINDS.add(names, f);
flag(VOID_ELEMENTS, VOID);
flag(RAW_TEXT_ELEMENTS, RAW_TEXT);
flag(CLOSES_P_ELEMENTS, CLOSES_P);
flag(HEADING_ELEMENTS, HEADING | BOLD_ELEMENT);
flag("p", PARAGRAPH | LINE_BLOCK);
flag("li dt dd", LIST_ITEM);
flag("ul ol dl", LIST);
flag("div td th section header center", LINE_BLOCK);
flag("img video audio iframe picture svg embed object", MEDIA);
flag("a", ANCHOR);
flag("hr", HR);
flag("b strong", BOLD_ELEMENT);
flag("b strong span font em i u a", INLINE);
flag("blockquote li figure aside caption nav", ASIDE);

/**
 * The scan's stack, one object for the isolate (as the sanitizer's pass, and for the same reason:
 * optimized code keeps to the objects it was compiled with).
 */
class Stack {
  names = new Float64Array(64);
  kinds = new Int32Array(64);
  starts = new Int32Array(64);
  /** The content counter and the plain-text counter when the element opened, and the marks found before it. */
  content = new Int32Array(64);
  plain = new Int32Array(64);
  big = new Int32Array(64);
  marks = new Int32Array(64);
  /** Inherited style: ./style.ts's flags. */
  style = new Int32Array(64);
  depth = 0;

  push(key: number, kind: number, start: number, content: number, plain: number, big: number, marks: number, style: number): void {
    if (this.depth === this.names.length) this.grow();
    const d = this.depth++;
    this.big[d] = big;
    this.names[d] = key;
    this.kinds[d] = kind;
    this.starts[d] = start;
    this.content[d] = content;
    this.plain[d] = plain;
    this.marks[d] = marks;
    this.style[d] = style;
  }

  private grow(): void {
    const twice = <T extends Float64Array | Int32Array>(a: T): T => {
      const to = new (a.constructor as new (n: number) => T)(a.length * 2);
      to.set(a);
      return to;
    };
    this.names = twice(this.names);
    this.kinds = twice(this.kinds);
    this.starts = twice(this.starts);
    this.content = twice(this.content);
    this.plain = twice(this.plain);
    this.big = twice(this.big);
    this.marks = twice(this.marks);
    this.style = twice(this.style);
  }
}
const STACK = new Stack();

/**
 * `lt`: the offset of every "<" of `html`, in order (the decoder notes them; else they are searched
 * for). `deep`: look inside every element; else only at the top level (markdown rendered to HTML,
 * whose structure is there): an element there that is no cut is skipped whole, counted as content.
 */
export function scanMarks(html: Uint8Array, lt: Int32Array = ltOf(html), deep = true): Scan {
  const s = STACK;
  s.depth = 0;
  const marks: Mark[] = [];
  let content = 0; // runs of text and media seen
  let plain = 0; // runs of text outside bold or large text
  let big = 0; // runs of large text
  const long = new Map<string, number>(); // long names other than LONG's
  const n = html.length;
  const view = viewOf(html);
  let at = 0; // in `lt`: the scan moves forward only
  const nextLt = (from: number) => {
    while (at < lt.length && lt[at]! < from) at++;
    return at < lt.length ? lt[at]! : -1;
  };

  /** Note a mark for the element at stack index `d`, ending at `end`, unless it sits in a link. */
  const mark = (kind: Mark["kind"], d: number, level: number, innerStart: number, innerEnd: number, end: number): void => {
    // Cut before the ancestors that hold nothing before it; never inside a link.
    let k = d;
    while (k > 0 && s.content[k - 1] === s.content[d]) k--;
    for (let a = 0; a < k; a++) if (s.kinds[a]! & ANCHOR) return;
    const open: number[] = [];
    for (let a = 0; a < k; a++) open.push(s.starts[a]!);
    const cut = s.starts[k]!;
    marks.push({ kind, level, start: s.starts[d]!, end, innerStart, innerEnd, cut, open, before: s.content[d]!, after: content, style: s.style[d]! | (s.big[d] !== big ? BIG : 0), depth: d });
  };

  /** The element at the top of the stack closes at `end` (`innerEnd`: where its content ends). */
  const close = (innerEnd: number, end: number) => {
    const d = --s.depth;
    const kind = s.kinds[d]!;
    const style = s.style[d]!;
    // Not a kind that marks, empty, in a widget, a subtitle or a quote, or holding a mark already: no mark.
    if (!(kind & (HEADING | LINE_BLOCK | INLINE)) || s.content[d] === content || style & (WIDGET | SUBTITLE | ASIDE_STYLE) || s.marks[d] !== marks.length) return;
    const plainText = s.plain[d] !== plain;
    if (plainText && !(kind & (HEADING | PARAGRAPH))) return;
    const innerStart = findByte(html, view, GT, s.starts[d]!) + 1;
    if (kind & HEADING) mark("h", d, html[s.starts[d]! + 2]! - 48, innerStart, innerEnd, end);
    else if (kind & LINE_BLOCK) {
      if (!plainText) mark("line", d, 0, innerStart, innerEnd, end);
      else if (kind & PARAGRAPH && opensBold(html, innerStart, innerEnd)) mark("p", d, 0, innerStart, innerEnd, end);
    } else if (kind & INLINE && (style & BOLD || s.big[d] !== big) && d > 0) {
      // A bold or large run that opens its block and ends a line of it: `<td><strong>A title</strong><br>…`.
      let b = d - 1;
      while (b > 0 && !(s.kinds[b]! & LINE_BLOCK)) b--;
      if (s.content[b] === s.content[d] && endsLine(html, end)) mark("line", d, 0, innerStart, innerEnd, end);
    }
  };
  const closeTo = (to: number, innerEnd: number, end: number) => {
    while (s.depth > to) close(innerEnd, s.depth - 1 === to ? end : innerEnd);
  };

  let i = nextLt(0);
  let textFrom = 0; // where the text since the last tag starts
  while (i >= 0 && i < n) {
    if (i > textFrom && !isBlankText(html, textFrom, i)) {
      content++;
      const style = s.depth ? s.style[s.depth - 1]! : 0;
      if (style & BIG) big++;
      else if (!(style & BOLD) && hasWords(html, textFrom, i)) plain++;
    }
    const c = html[i + 1]!;
    if (c === 33 /* ! */) {
      textFrom = bangEnd(html, i);
      i = nextLt(textFrom);
      continue;
    }
    const closing = c === 47; /* / */
    const nameStart = closing ? i + 2 : i + 1;
    const first = html[nameStart]! | 32;
    if (first < 97 || first > 122) {
      i = nextLt(i + 1); // a "<" in text
      continue;
    }
    let j = nameStart;
    let key = 0;
    for (; j < n && j - nameStart < MAX_KEYED; j++) {
      const code = CODE6[html[j]!]!;
      if (code === 0) break;
      key = key * 64 + code;
    }
    if (j < n && CODE6[html[j]!]) {
      while (j < n && CODE6[html[j]!]) j++;
      key = keyOf(asciiName(html, nameStart, j), long);
    }
    const kind = kindOf(key);
    const tagEnd = findTagEnd(html, view, j);
    const after = tagEnd + 1;
    textFrom = after;

    if (closing) {
      let d = s.depth - 1;
      while (d >= 0 && s.names[d] !== key) d--;
      if (d >= 0) closeTo(d, i, after);
      i = nextLt(after);
      continue;
    }

    // Implicit end tags.
    const top = s.depth ? s.kinds[s.depth - 1]! : 0;
    if (top & PARAGRAPH && kind & CLOSES_P) closeTo(s.depth - 1, i, i);
    else if (kind & HEADING && top & HEADING) closeTo(s.depth - 1, i, i);
    else if (kind & LIST_ITEM) {
      // The nearest open li/dt/dd, unless a list is open inside it.
      for (let k = s.depth - 1; k >= 0; k--) {
        const f = s.kinds[k]!;
        if (f & LIST) break;
        if (f & LIST_ITEM) {
          closeTo(k, i, i);
          break;
        }
      }
    }

    if (!deep && s.depth === 0 && !(kind & (PARAGRAPH | HEADING | LIST_ITEM | HR | VOID)) && key >= 0 && !(kind & RAW_TEXT)) {
      // A top-level element that is not cut and that no start tag closes (a list, a div…): only
      // its own end tag closes it, so read on to that, without the stack.
      const past = skipElement(html, view, lt, at, after, nameStart, j);
      content++;
      if (past < 0) {
        textFrom = n;
        break;
      }
      at = past;
      i = at < lt.length ? lt[at]! : -1;
      textFrom = i < 0 ? n : i;
      continue;
    }
    if (kind & MEDIA) content++;
    const inherited = s.depth ? s.style[s.depth - 1]! : 0;
    if (kind & HR) {
      // A break is a mark of its own: pushed, marked, popped.
      s.push(key, kind, i, content, plain, big, marks.length, inherited);
      mark("hr", s.depth - 1, 0, after, after, after);
      s.depth--;
    }
    if (kind & VOID || html[tagEnd - 1] === 47 /* self-closing */) {
      i = nextLt(after);
      continue;
    }
    if (kind & RAW_TEXT) {
      const close = indexOfCloseTag(html, nameStart, j, after);
      textFrom = close < 0 ? n : findTagEnd(html, view, close + 2) + 1;
      i = close < 0 ? -1 : nextLt(textFrom);
      continue;
    }
    let style = inherited;
    if (kind & BOLD_ELEMENT) style |= BOLD;
    if (kind & ASIDE) style |= ASIDE_STYLE;
    if (deep && j < tagEnd) style |= attributeFlags(html, view, j, tagEnd); // (markdown has no styles that matter)
    s.push(key, kind, i, content, plain, big, marks.length, style);
    i = nextLt(after);
  }
  if (n > textFrom && !isBlankText(html, textFrom, n)) {
    content++;
    if (!(s.depth && s.style[s.depth - 1]! & (BOLD | BIG)) && hasWords(html, textFrom, n)) plain++; // (a last run counts only as content)
  }
  closeTo(0, n, n); // unclosed at the end of the body
  return { marks, content };
}

/** Style flags from a start tag's class and style attributes (`from`: just after its name). */
function attributeFlags(b: Uint8Array, view: DataView, from: number, end: number): number {
  let flags = 0;
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
    const length = nameEnd - nameStart;
    if (length === 5 && isName(b, nameStart, CLASS)) flags |= classFlags(asciiName(b, valueStart, valueEnd));
    else if (length === 5 && isName(b, nameStart, STYLE)) flags |= styleFlags(asciiName(b, valueStart, valueEnd));
  }
  return flags;
}

const CLASS = [99, 108, 97, 115, 115];
const STYLE = [115, 116, 121, 108, 101];

function isName(b: Uint8Array, at: number, name: number[]): boolean {
  for (let m = 0; m < name.length; m++) if ((b[at + m]! | 32) !== name[m]) return false;
  return true;
}

/** Whether a paragraph's content [from, to) opens with a bold element (b, strong), perhaps inside a link. */
function opensBold(b: Uint8Array, from: number, to: number): boolean {
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
function isBlankText(b: Uint8Array, from: number, to: number): boolean {
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
 * Whether what follows `at` (past spaces) breaks the line within its block: a <br> or a block's
 * start tag. (At the block's end tag the block itself is the line.)
 */
function endsLine(b: Uint8Array, at: number): boolean {
  let k = at;
  while (b[k] === 32 || b[k] === 10 || b[k] === 9 || b[k] === 13) k++;
  if (b[k] !== LT || b[k + 1] === 47) return false;
  let e = k + 1;
  while (CODE6[b[e]!]) e++;
  if (e - k === 3 && (b[k + 1]! | 32) === 98 && (b[k + 2]! | 32) === 114) return true; // br
  return (kindOf(keyOf(asciiName(b, k + 1, e))) & (CLOSES_P | LINE_BLOCK)) !== 0;
}

/**
 * Whether text bytes [from, to) hold a letter or a digit: an emoji or a dash beside a bold title
 * (`<p>💕 <strong>Your turn</strong></p>`) leaves it a bold line.
 */
function hasWords(b: Uint8Array, from: number, to: number): boolean {
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
