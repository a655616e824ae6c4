/**
 * A tag-level scanner over an issue's HTML as UTF-8 bytes: it finds the top-level headings and
 * paragraphs (the only places an issue is cut) with their byte ranges, without building a tree,
 * without looking at text and without turning the HTML into a string. Every byte it looks at is
 * ASCII (in UTF-8 an ASCII byte is always that character), so the ranges fall between characters.
 * Comments, CDATA and raw-text elements (script, style…) are skipped whole, and the HTML parsing
 * rules that matter at the top level are applied: void elements, a block start closing an open
 * <p>, a heading closing an open heading, stray end tags ignored.
 */
import { ltOf, viewOf } from "../../src/lib/bytes.js";
import { bangEnd, findTagEnd, indexOfCloseTag, skipElement } from "../../src/split/markup.js";
import { asciiName, CLOSES_P_ELEMENTS, CODE6, HEADING_ELEMENTS, KeyTable, keyOf, MAX_KEYED, RAW_TEXT_ELEMENTS, VOID_ELEMENTS } from "../../src/lib/tags.js";

export interface Mark {
  /** "h" for a heading h1–h6, "p" for a paragraph. */
  kind: "h" | "p";
  level: number;
  /** Offset of the element's "<". */
  start: number;
  /** Offset just after its end tag (or where it was implicitly closed). */
  end: number;
  /** Inner HTML range. */
  innerStart: number;
  innerEnd: number;
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

const KINDS = new KeyTable();
const kindOf = (key: number) => KINDS.get(key);
const flag = (names: string, f: number) => KINDS.add(names, f);
flag(VOID_ELEMENTS, VOID);
flag(RAW_TEXT_ELEMENTS, RAW_TEXT);
flag(CLOSES_P_ELEMENTS, CLOSES_P);
flag(HEADING_ELEMENTS, HEADING);
flag("p", PARAGRAPH);
flag("li dt dd", LIST_ITEM);
flag("ul ol dl", LIST);

/** `lt`: the offset of every "<" of `html`, in order (the decoder notes them; else they are searched for). */
export function scanTopLevel(html: Uint8Array, lt: Int32Array = ltOf(html)): Mark[] {
  const marks: Mark[] = [];
  // The open elements: name keys and kinds up to `depth` (the arrays are reused, not truncated).
  let names = new Float64Array(64);
  let kinds = new Uint8Array(64);
  let depth = 0;
  let open: Mark | undefined; // the top-level mark being read, if any
  const long = new Map<string, number>(); // long names other than LONG's
  const n = html.length;
  const view = viewOf(html);
  let at = 0; // in `lt`: the scan moves forward only
  const nextLt = (from: number) => {
    while (at < lt.length && lt[at]! < from) at++;
    return at < lt.length ? lt[at]! : -1;
  };
  let i = nextLt(0);

  /** Close the elements from `depth` up; when that empties the stack, the open mark ends. */
  const closeTo = (to: number, at: number, innerEnd: number) => {
    depth = to;
    if (to === 0 && open) {
      open.end = at;
      open.innerEnd = innerEnd;
      marks.push(open);
      open = undefined;
    }
  };

  while (i >= 0 && i < n) {
    const c = html[i + 1]!;
    if (c === 33 /* ! */) {
      i = nextLt(bangEnd(html, i));
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

    if (closing) {
      let at = depth - 1;
      while (at >= 0 && names[at] !== key) at--;
      if (at >= 0) closeTo(at, after, i);
      i = nextLt(after);
      continue;
    }

    // Implicit end tags.
    const top = depth ? kinds[depth - 1]! : 0;
    if (top & PARAGRAPH && kind & CLOSES_P) closeTo(depth - 1, i, i);
    else if (kind & HEADING && top & HEADING) closeTo(depth - 1, i, i);
    else if (kind & LIST_ITEM) {
      // The nearest open li/dt/dd, unless a list is open inside it.
      for (let k = depth - 1; k >= 0; k--) {
        const f = kinds[k]!;
        if (f & LIST) break;
        if (f & LIST_ITEM) {
          closeTo(k, i, i);
          break;
        }
      }
    }

    if (kind & VOID || html[tagEnd - 1] === 47 /* self-closing */) {
      i = nextLt(after);
      continue;
    }
    if (kind & RAW_TEXT) {
      const close = indexOfCloseTag(html, nameStart, j, after);
      i = close < 0 ? -1 : nextLt(close + 2);
      continue;
    }
    if (depth === 0 && kind & (PARAGRAPH | HEADING)) {
      open = {
        kind: kind & PARAGRAPH ? "p" : "h",
        level: kind & PARAGRAPH ? 0 : html[nameStart + 1]! - 48,
        start: i,
        end: n,
        innerStart: after,
        innerEnd: n,
      };
    }
    if (depth === 0 && !(kind & (PARAGRAPH | HEADING | LIST_ITEM)) && key >= 0) {
      // A top-level element that is not cut and that no start tag closes (a list, a div…): only
      // its own end tag closes it, so read on to that, without the stack.
      const past = skipElement(html, view, lt, at, after, nameStart, j);
      if (past < 0) break;
      at = past;
      i = at < lt.length ? lt[at]! : -1;
      continue;
    }
    if (depth === names.length) {
      names = grow(names, new Float64Array(depth * 2));
      kinds = grow(kinds, new Uint8Array(depth * 2));
    }
    names[depth] = key;
    kinds[depth++] = kind;
    i = nextLt(after);
  }
  if (open) marks.push(open); // unclosed at the end of the body
  return marks;
}

function grow<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
