/**
 * A tag-level scanner over an issue's HTML as UTF-8 bytes: it finds the top-level headings and
 * paragraphs (the only places an issue is cut) with their byte ranges, without building a tree,
 * without looking at text and without turning the HTML into a string. Every byte it looks at is
 * ASCII (in UTF-8 an ASCII byte is always that character), so the ranges fall between characters.
 * Comments, CDATA and raw-text elements (script, style…) are skipped whole, and the HTML parsing
 * rules that matter at the top level are applied: void elements, a block start closing an open
 * <p>, a heading closing an open heading, stray end tags ignored.
 */
import { findByte, ltOf, viewOf } from "../../src/lib/bytes.js";
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

/**
 * Past the end tag of the element named html[nameStart, nameEnd) whose content starts at `from`,
 * as the stack would find it: counting the same name's start tags (not self-closing) and end
 * tags, tags read whole (quoted values skipped), comments and raw-text elements skipped. Walks
 * `lt` from index `t`; returns the index in `lt` of the first "<" after the element, or -1 when
 * it is never closed.
 */
function skipElement(html: Uint8Array, view: DataView, lt: Int32Array, t: number, from: number, nameStart: number, nameEnd: number): number {
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
function bangEnd(html: Uint8Array, i: number): number {
  if (html[i + 2] === 45 && html[i + 3] === 45) return find3(html, 45, 45, GT, i + 4); // -->
  if (startsWithCdata(html, i)) return find3(html, 93, 93, GT, i + 9); // ]]>
  return indexOrEnd(html, GT, i + 2) + 1;
}

function grow<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
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
function findTagEnd(b: Uint8Array, view: DataView, from: number): number {
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
function indexOfCloseTag(b: Uint8Array, nameStart: number, nameEnd: number, from: number): number {
  const length = nameEnd - nameStart;
  for (let k = b.indexOf(LT, from); k >= 0; k = b.indexOf(LT, k + 1)) {
    if (b[k + 1] !== 47) continue;
    let m = 0;
    while (m < length && (b[k + 2 + m]! | 32) === (b[nameStart + m]! | 32)) m++;
    if (m === length) return k;
  }
  return -1;
}
