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
import { type NamedBoundaries, namedRole } from "./named.js";
import { attributeFlags, bangEnd, classesOf, findTagEnd, hasWords, indexOfCloseTag, isBlankText, opensBold, skipElement } from "./markup.js";
import { Stack } from "./stack.js";
import { ASIDE_STYLE, BIG, BOLD, SUBTITLE, WIDGET } from "./style.js";

export interface Mark {
  /**
   * "h": a heading h1–h6 with content (text or an image); "line": a block (p, div, td…) whose text
   * is all bold or large; "p": a paragraph that opens with a bold run and goes on (a bold heading
   * with a tail, or a lead-in); "hr": a thematic break; "named": an element the feed names as a
   * boundary (./named.ts).
   */
  kind: "h" | "line" | "p" | "hr" | "named";
  /** A heading's level (1–6); for a named boundary NAMED_SECTION or NAMED_TOPIC; 0 for the others. */
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
  /** For a paragraph that opens with a large run (a story's title set large, not bold): where the run ends; else 0. */
  lead: number;
  /** Which part of a template the element is (`Stack.template`); 0 when no class is above it. */
  template: number;
  /** A line that is all there is in its template's block (the nearest element with a class around it). */
  alone: boolean;
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
 * `lt`: the offset of every "<" of `html`, in order (the decoder notes them; else they are searched
 * for). `deep`: look inside every element; else only at the top level (markdown rendered to HTML,
 * whose structure is there): an element there that is no cut is skipped whole, counted as content.
 * `named`: the feed's own boundaries; then only the elements they match are marked. `blocks`:
 * where the top-level elements end (`Utf8Html.blocks`), so that one skipped is not read.
 */
export function scanMarks(html: Uint8Array, lt: Int32Array = ltOf(html), deep = true, named?: NamedBoundaries, blocks?: Int32Array): Scan {
  return SCANNER.run(html, lt, deep, named, blocks);
}

/**
 * The scan's state, one object for the isolate (as the sanitizer's pass, and for the same reason:
 * optimized code keeps to the objects it was compiled with), reset for each issue.
 */
class Scanner {
  readonly s = new Stack();
  html: Uint8Array = new Uint8Array(0);
  view = viewOf(this.html);
  lt: Int32Array = new Int32Array(0);
  n = 0;
  deep = true;
  named: NamedBoundaries | undefined;
  marks: Mark[] = [];
  /** Runs of text and media seen. */
  content = 0;
  /** Runs of text outside bold or large text. */
  plain = 0;
  /** Runs of large text. */
  big = 0;
  /** The content counter where the last widget (share bar, signup form…) that held content ended; -1 if none yet. */
  widgetEnd = -1;
  /** Long names other than LONG's. */
  long = new Map<string, number>();
  /** In `lt`: the scan moves forward only. */
  at = 0;
  /** Where the text since the last tag starts. */
  textFrom = 0;
  /** The top-level elements' extents, if known, and the next one to look at. */
  blocks: Int32Array | undefined;
  block = 0;
  /** The key of the tag name read last (`readName`). */
  key = 0;
  /** The class names of the start tag read last (`attributeFlags`). */
  readonly seen = { classKey: 0 };

  run(html: Uint8Array, lt: Int32Array, deep: boolean, named: NamedBoundaries | undefined, blocks: Int32Array | undefined): Scan {
    this.html = html;
    this.blocks = blocks;
    this.block = 0;
    this.view = viewOf(html);
    this.lt = lt;
    this.n = html.length;
    this.deep = deep;
    this.named = named;
    this.marks = [];
    this.content = this.plain = this.big = this.at = this.textFrom = this.s.depth = 0;
    this.widgetEnd = -1;
    this.long.clear();
    const { n } = this;
    for (let i = this.nextLt(0); i >= 0 && i < n; ) i = this.markup(i);
    const { textFrom, s } = this;
    if (n > textFrom && !isBlankText(html, textFrom, n)) {
      this.content++;
      if (!(s.depth && s.style[s.depth - 1]! & (BOLD | BIG)) && hasWords(html, textFrom, n)) this.plain++; // (a last run counts only as content)
    }
    this.closeTo(0, n, n); // unclosed at the end of the body
    const scan = { marks: this.marks, content: this.content };
    // The issue is not kept past its scan.
    this.html = new Uint8Array(0);
    this.view = viewOf(this.html);
    this.lt = new Int32Array(0);
    this.marks = [];
    this.named = undefined;
    this.blocks = undefined;
    return scan;
  }

  nextLt(from: number): number {
    const { lt } = this;
    while (this.at < lt.length && lt[this.at]! < from) this.at++;
    return this.at < lt.length ? lt[this.at]! : -1;
  }

  /** The text since the last tag, up to `end`: counted. */
  text(end: number): void {
    const { html, textFrom, s } = this;
    if (end <= textFrom || isBlankText(html, textFrom, end)) return;
    this.content++;
    const style = s.depth ? s.style[s.depth - 1]! : 0;
    if (style & BIG) this.big++;
    else if (!(style & BOLD) && hasWords(html, textFrom, end)) this.plain++;
  }

  /** The markup at `i` (a "<"): a tag, a comment, or a "<" in text. Returns the next "<" to read, or -1. */
  markup(i: number): number {
    const { html } = this;
    this.text(i);
    const c = html[i + 1]!;
    if (c === 33 /* ! */) {
      this.textFrom = bangEnd(html, i);
      return this.nextLt(this.textFrom);
    }
    const closing = c === 47; /* / */
    const nameStart = closing ? i + 2 : i + 1;
    const first = html[nameStart]! | 32;
    if (first < 97 || first > 122) return this.nextLt(i + 1); // a "<" in text
    const nameEnd = this.readName(nameStart);
    const key = this.key;
    const kind = kindOf(key);
    const tagEnd = findTagEnd(html, this.view, nameEnd);
    const after = tagEnd + 1;
    this.textFrom = after;
    if (closing) {
      const s = this.s;
      let d = s.depth - 1;
      while (d >= 0 && s.names[d] !== key) d--;
      if (d >= 0) this.closeTo(d, i, after);
      return this.nextLt(after);
    }
    this.closeImplied(kind, i);
    if (!this.deep && this.s.depth === 0 && !(kind & (PARAGRAPH | HEADING | LIST_ITEM | HR | VOID)) && key >= 0 && !(kind & RAW_TEXT)) return this.skipTopLevel(i, after, nameStart, nameEnd);
    return this.startTag(i, kind, nameStart, nameEnd, tagEnd);
  }

  /** Read the tag name at `start` into `key`; returns where it ends. */
  readName(start: number): number {
    const { html, n } = this;
    let j = start;
    let key = 0;
    for (; j < n && j - start < MAX_KEYED; j++) {
      const code = CODE6[html[j]!]!;
      if (code === 0) break;
      key = key * 64 + code;
    }
    if (j < n && CODE6[html[j]!]) {
      while (j < n && CODE6[html[j]!]) j++;
      key = keyOf(asciiName(html, start, j), this.long);
    }
    this.key = key;
    return j;
  }

  /** The end tags a start tag of `kind` at `i` implies: an open <p>, an open heading, the nearest open li/dt/dd. */
  closeImplied(kind: number, i: number): void {
    const s = this.s;
    const top = s.depth ? s.kinds[s.depth - 1]! : 0;
    if (top & PARAGRAPH && kind & CLOSES_P) this.closeTo(s.depth - 1, i, i);
    else if (kind & HEADING && top & HEADING) this.closeTo(s.depth - 1, i, i);
    else if (kind & LIST_ITEM) {
      // The nearest open li/dt/dd, unless a list is open inside it.
      for (let k = s.depth - 1; k >= 0; k--) {
        const f = s.kinds[k]!;
        if (f & LIST) break;
        if (f & LIST_ITEM) {
          this.closeTo(k, i, i);
          break;
        }
      }
    }
  }

  /**
   * A top-level element that is not cut and that no start tag closes (a list, a div…): only its
   * own end tag closes it, so read on to that (or take its end from `blocks`), without the
   * stack, and count it as content.
   */
  skipTopLevel(start: number, after: number, nameStart: number, nameEnd: number): number {
    const end = this.blockEnd(start);
    const past = end <= after || end > this.n ? skipElement(this.html, this.view, this.lt, this.at, after, nameStart, nameEnd) : this.ltFrom(end);
    this.content++;
    if (past < 0) {
      this.textFrom = this.n;
      return -1;
    }
    this.at = past;
    const i = past < this.lt.length ? this.lt[past]! : -1;
    this.textFrom = i < 0 ? this.n : i;
    return i;
  }

  /** Where the top-level element whose start tag is at `i` ends, if `blocks` says; else -1. */
  blockEnd(i: number): number {
    const { blocks } = this;
    if (!blocks) return -1;
    while (this.block < blocks.length && blocks[this.block]! < i) this.block += 2;
    return blocks[this.block] === i ? (blocks[this.block + 1] ?? -1) : -1;
  }

  /** The index in `lt` of the first "<" at or after `from`. */
  ltFrom(from: number): number {
    const { lt } = this;
    let t = this.at;
    while (t < lt.length && lt[t]! < from) t++;
    return t;
  }

  /** A start tag at `i` of `kind`, its name at [nameStart, nameEnd), its ">" at `tagEnd`: pushed (a break also marked). */
  startTag(i: number, kind: number, nameStart: number, nameEnd: number, tagEnd: number): number {
    const { html, s, key } = this;
    const after = tagEnd + 1;
    if (kind & MEDIA) this.content++;
    const inherited = s.depth ? s.style[s.depth - 1]! : 0;
    if (kind & HR) {
      // A break is a mark of its own: pushed, marked, popped.
      s.push(key, kind, i, this.content, this.plain, this.big, this.marks.length, inherited);
      this.mark("hr", s.depth - 1, 0, after, after, after);
      s.depth--;
    }
    if (kind & VOID || html[tagEnd - 1] === 47 /* self-closing */) return this.nextLt(after);
    if (kind & RAW_TEXT) {
      const close = indexOfCloseTag(html, nameStart, nameEnd, after);
      this.textFrom = close < 0 ? this.n : findTagEnd(html, this.view, close + 2) + 1;
      return close < 0 ? -1 : this.nextLt(this.textFrom);
    }
    let style = inherited;
    if (kind & BOLD_ELEMENT) style |= BOLD;
    if (kind & ASIDE) style |= ASIDE_STYLE;
    let classKey = 0;
    if (this.deep && nameEnd < tagEnd) {
      // (Markdown has no styles or templates that matter.)
      style |= attributeFlags(html, this.view, nameEnd, tagEnd, this.seen);
      classKey = this.seen.classKey;
    }
    const role = this.named ? namedRole(this.named, asciiName(html, nameStart, nameEnd), classesOf(html, this.view, nameEnd, tagEnd)) : 0;
    const above = s.depth ? s.template[s.depth - 1]! : 0;
    const template = classKey ? mixKey(classKey, key) : above && mixKey(above, key);
    s.push(key, kind, i, this.content, this.plain, this.big, this.marks.length, style, role, template, classKey ? 1 : 0);
    return this.nextLt(after);
  }

  /** Note a mark for the element at stack index `d`, ending at `end`, unless it sits in a link. */
  mark(kind: Mark["kind"], d: number, level: number, innerStart: number, innerEnd: number, end: number): void {
    const s = this.s;
    // Cut before the ancestors that hold nothing before it; never inside a link.
    let k = d;
    while (k > 0 && s.content[k - 1] === s.content[d]) k--;
    for (let a = 0; a < k; a++) if (s.kinds[a]! & ANCHOR) return;
    const open: number[] = [];
    for (let a = 0; a < k; a++) open.push(s.starts[a]!);
    const cut = s.starts[k]!;
    this.marks.push({ kind, level, start: s.starts[d]!, end, innerStart, innerEnd, cut, open, before: s.content[d]!, after: this.content, style: s.style[d]! | (s.big[d] !== this.big ? BIG : 0), depth: d, lead: s.lead[d]!, template: s.template[d]!, alone: false });
  }

  /** The element at the top of the stack closes at `end` (`innerEnd`: where its content ends): marked if it is a boundary. */
  close(innerEnd: number, end: number): void {
    const { s, html, view } = this;
    const d = --s.depth;
    const kind = s.kinds[d]!;
    const style = s.style[d]!;
    if (this.named) {
      if (s.roles[d] && s.content[d] !== this.content) this.mark("named", d, s.roles[d]!, findByte(html, view, GT, s.starts[d]!) + 1, innerEnd, end);
      return;
    }
    if (style & WIDGET && s.content[d] !== this.content) this.widgetEnd = this.content;
    // Not a kind that marks, empty, in a widget, a subtitle or a quote, or holding a mark already: no mark.
    if (!(kind & (HEADING | LINE_BLOCK | INLINE)) || s.content[d] === this.content || style & (WIDGET | SUBTITLE | ASIDE_STYLE) || s.marks[d] !== this.marks.length) return;
    // Nor a line that holds a widget: a share bar's bold "Follow Us" over its icons, in a cell around it.
    if (!(kind & HEADING) && this.widgetEnd > s.content[d]!) return;
    const plainText = s.plain[d] !== this.plain;
    if (plainText && !(kind & (HEADING | PARAGRAPH))) return;
    const innerStart = findByte(html, view, GT, s.starts[d]!) + 1;
    if (kind & HEADING) this.mark("h", d, html[s.starts[d]! + 2]! - 48, innerStart, innerEnd, end);
    else if (kind & LINE_BLOCK) {
      // (In nested layout, a paragraph that is all one link set large in plain weight is a story's
      // title, as its lead-in is; a large line that is no link stays a line.)
      if (!plainText) this.mark(s.lead[d] && s.link[d] === this.content && d > 0 ? "p" : "line", d, 0, innerStart, innerEnd, end);
      else if (kind & PARAGRAPH && (s.lead[d] || opensBold(html, innerStart, innerEnd))) this.mark("p", d, 0, innerStart, innerEnd, end);
    } else if (kind & INLINE && (style & BOLD || s.big[d] !== this.big) && d > 0) {
      // A bold or large run that opens its block and ends a line of it: `<td><strong>A title</strong><br>…`.
      let b = d - 1;
      while (b > 0 && !(s.kinds[b]! & LINE_BLOCK)) b--;
      if (s.content[b] !== s.content[d]) return;
      if (kind & ANCHOR) s.link[b] = this.content;
      if (endsLine(html, end)) this.mark("line", d, 0, innerStart, innerEnd, end);
      // A large run that opens a paragraph of plain text: a lead-in, as a bold one is (Cooperpress's
      // stories: `<p><span style="font-size:18px"><a>A title</a></span> — what it is…</p>`).
      else if (style & BIG && !(style & BOLD) && !(s.style[b]! & BIG) && s.kinds[b]! & PARAGRAPH) s.lead[b] = end;
    }
  }

  closeTo(to: number, innerEnd: number, end: number): void {
    const s = this.s;
    while (s.depth > to) {
      const d = s.depth - 1;
      this.close(innerEnd, d === to ? end : innerEnd);
      if (s.classed[d] && this.marks.length === s.marks[d]! + 1) {
        // A template's block (an element with a class) that holds one line and nothing else.
        const m = this.marks[s.marks[d]!]!;
        if (m.kind === "line" && m.before === s.content[d] && m.after === this.content) m.alone = true;
      }
    }
  }
}
const SCANNER = new Scanner();

/** A template number (`Stack.template`) one element further down: `key`, its tag name's key. */
function mixKey(template: number, key: number): number {
  const h = Math.imul(Math.imul(template ^ (key | 0), 0x9e3779b1) ^ ((key / 4294967296) | 0), 0x85ebca6b);
  return h || 1;
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

