/**
 * A tag-level scanner over an issue's HTML: it finds the top-level headings and paragraphs (the
 * only places an issue is cut) with their byte ranges, without building a tree and without
 * looking at text. Comments, CDATA and raw-text elements (script, style…) are skipped whole, and
 * the HTML parsing rules that matter at the top level are applied: void elements, a block start
 * closing an open <p>, a heading closing an open heading, stray end tags ignored.
 */

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
  /** The start tag's source, for attributes. */
  tag: string;
}

// What a tag name means to the scanner, as bit flags: one Map lookup per tag.
const VOID = 1;
const RAW_TEXT = 2;
/** Start tags that close an open <p> (HTML's "close a p element" rule). */
const CLOSES_P = 4;
const HEADING = 8;
const PARAGRAPH = 16;
/** li, dt, dd: close an open one of them, up to the nearest list. */
const LIST_ITEM = 32;
const LIST = 64;
const KINDS = new Map<string, number>();
const flag = (names: string, f: number) => {
  for (const name of names.split(" ")) KINDS.set(name, (KINDS.get(name) ?? 0) | f);
};
flag("area base br col embed hr img input link meta source track wbr param keygen", VOID);
flag("script style textarea title xmp iframe noembed noframes plaintext", RAW_TEXT);
flag(
  "address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 " +
    "header hgroup hr main menu nav ol p pre section table ul",
  CLOSES_P,
);
flag("h1 h2 h3 h4 h5 h6", HEADING);
flag("p", PARAGRAPH);
flag("li dt dd", LIST_ITEM);
flag("ul ol dl", LIST);

/**
 * A tag name of up to 8 characters as a number (6 bits a character, case folded), so that the
 * scanner neither copies nor hashes a string per tag; longer names stay strings.
 */
function nameKey(name: string): number {
  let key = 0;
  for (let k = 0; k < name.length; k++) key = key * 64 + charCode6(name.charCodeAt(k));
  return key;
}

/** a–z (either case) 1–26, 0–9 27–36, "-" 37, ":" 38; 0 for anything else. */
function charCode6(ch: number): number {
  const l = ch | 32;
  if (l >= 97 && l <= 122) return l - 96;
  if (ch >= 48 && ch <= 57) return ch - 21;
  return ch === 45 ? 37 : ch === 58 ? 38 : 0;
}

const MAX_KEYED = 8;
const KINDS_BY_KEY = new Map<number, number>();
for (const [name, kind] of KINDS) if (name.length <= MAX_KEYED) KINDS_BY_KEY.set(nameKey(name), kind);

export function scanTopLevel(html: string): Mark[] {
  const marks: Mark[] = [];
  // The open elements: names (nameKey, or the lower-case name when longer) and kinds up to
  // `depth` (the arrays are reused, not truncated).
  const stack: (number | string)[] = [];
  const kinds: number[] = [];
  let depth = 0;
  let open: Mark | undefined; // the top-level mark being read, if any
  const n = html.length;
  let i = html.indexOf("<");

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
    const c = html.charCodeAt(i + 1);
    if (c === 33 /* ! */) {
      let end: number;
      if (html.startsWith("<!--", i)) end = indexOrEnd(html, "-->", i + 4) + 3;
      else if (html.startsWith("<![CDATA[", i)) end = indexOrEnd(html, "]]>", i + 9) + 3;
      else end = indexOrEnd(html, ">", i + 2) + 1;
      i = html.indexOf("<", end);
      continue;
    }
    const closing = c === 47; /* / */
    const nameStart = closing ? i + 2 : i + 1;
    if (!isAlpha(html.charCodeAt(nameStart))) {
      i = html.indexOf("<", i + 1); // a "<" in text
      continue;
    }
    let j = nameStart;
    let key = 0;
    for (; j < n; j++) {
      const code = charCode6(html.charCodeAt(j));
      if (code === 0) break;
      key = key * 64 + code;
    }
    const long = j - nameStart > MAX_KEYED;
    const name: number | string = long ? html.slice(nameStart, j).toLowerCase() : key;
    const kind = (long ? KINDS.get(name as string) : KINDS_BY_KEY.get(key)) ?? 0;
    const tagEnd = findTagEnd(html, j);
    const after = tagEnd + 1;

    if (closing) {
      let at = depth - 1;
      while (at >= 0 && stack[at] !== name) at--;
      if (at >= 0) closeTo(at, after, i);
      i = html.indexOf("<", after);
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

    if (kind & VOID || html.charCodeAt(tagEnd - 1) === 47 /* self-closing */) {
      i = html.indexOf("<", after);
      continue;
    }
    if (kind & RAW_TEXT) {
      const close = indexOfCloseTag(html, html.slice(nameStart, j).toLowerCase(), after);
      i = close < 0 ? -1 : html.indexOf("<", close + 2);
      continue;
    }
    if (depth === 0 && kind & (PARAGRAPH | HEADING)) {
      open = {
        kind: kind & PARAGRAPH ? "p" : "h",
        level: kind & PARAGRAPH ? 0 : html.charCodeAt(nameStart + 1) - 48,
        start: i,
        end: n,
        innerStart: after,
        innerEnd: n,
        tag: html.slice(i, after),
      };
    }
    stack[depth] = name;
    kinds[depth++] = kind;
    i = html.indexOf("<", after);
  }
  if (open) marks.push(open); // unclosed at the end of the body
  return marks;
}

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function indexOrEnd(s: string, needle: string, from: number): number {
  const at = s.indexOf(needle, from);
  return at < 0 ? s.length : at;
}

/**
 * Index of the ">" that ends a tag whose name ends at `from`, skipping quoted attribute values
 * (a quote opens a value only after "="; an apostrophe elsewhere is just a character).
 */
function findTagEnd(s: string, from: number): number {
  const n = s.length;
  for (let k = from; k < n; k++) {
    const ch = s.charCodeAt(k);
    if (ch === 62) return k;
    if (ch === 34 || ch === 39) {
      let b = k - 1;
      while (b > from && (s.charCodeAt(b) === 32 || s.charCodeAt(b) === 9 || s.charCodeAt(b) === 10)) b--;
      if (s.charCodeAt(b) === 61) {
        const close = s.indexOf(ch === 34 ? '"' : "'", k + 1);
        if (close < 0) return n - 1;
        k = close;
      }
    }
  }
  return n - 1;
}

function indexOfCloseTag(s: string, name: string, from: number): number {
  let k = from;
  for (;;) {
    k = s.indexOf("</", k);
    if (k < 0) return -1;
    if (s.slice(k + 2, k + 2 + name.length).toLowerCase() === name) return k;
    k += 2;
  }
}
