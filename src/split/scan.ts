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

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "keygen"]);
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"]);
/** Start tags that close an open <p> (HTML's "close a p element" rule). */
const CLOSES_P = new Set([
  "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure",
  "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav",
  "ol", "p", "pre", "section", "table", "ul",
]);
const HEADING = /^h[1-6]$/;

export function scanTopLevel(html: string): Mark[] {
  const marks: Mark[] = [];
  const stack: string[] = [];
  let open: Mark | undefined; // the top-level mark being read, if any
  const n = html.length;
  let i = html.indexOf("<");

  const closeTo = (depth: number, at: number, innerEnd: number) => {
    stack.length = depth;
    if (depth === 0 && open) {
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
    let j = nameStart;
    while (j < n && isNameChar(html.charCodeAt(j))) j++;
    if (j === nameStart || !isAlpha(html.charCodeAt(nameStart))) {
      i = html.indexOf("<", i + 1); // a "<" in text
      continue;
    }
    const name = html.slice(nameStart, j).toLowerCase();
    const tagEnd = findTagEnd(html, j);
    const after = tagEnd + 1;

    if (closing) {
      const at = stack.lastIndexOf(name);
      if (at >= 0) closeTo(at, after, i);
      i = html.indexOf("<", after);
      continue;
    }

    // Implicit end tags.
    const top = stack[stack.length - 1];
    if (top === "p" && CLOSES_P.has(name)) closeTo(stack.length - 1, i, i);
    else if (HEADING.test(name) && top !== undefined && HEADING.test(top)) closeTo(stack.length - 1, i, i);
    else if (name === "li" || name === "dt" || name === "dd") {
      const at = Math.max(stack.lastIndexOf("li"), stack.lastIndexOf("dt"), stack.lastIndexOf("dd"));
      const list = Math.max(stack.lastIndexOf("ul"), stack.lastIndexOf("ol"), stack.lastIndexOf("dl"));
      if (at > list) closeTo(at, i, i);
    }

    const selfClosing = html.charCodeAt(tagEnd - 1) === 47;
    if (VOID.has(name) || selfClosing) {
      i = html.indexOf("<", after);
      continue;
    }
    if (RAW_TEXT.has(name)) {
      const close = indexOfCloseTag(html, name, after);
      i = close < 0 ? -1 : html.indexOf("<", close + 2);
      continue;
    }
    if (stack.length === 0 && (name === "p" || HEADING.test(name))) {
      open = {
        kind: name === "p" ? "p" : "h",
        level: name === "p" ? 0 : name.charCodeAt(1) - 48,
        start: i,
        end: n,
        innerStart: after,
        innerEnd: n,
        tag: html.slice(i, after),
      };
    }
    stack.push(name);
    i = html.indexOf("<", after);
  }
  if (open) marks.push(open); // unclosed at the end of the body
  return marks;
}

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isNameChar(c: number): boolean {
  return isAlpha(c) || (c >= 48 && c <= 57) || c === 45 || c === 58;
}

function indexOrEnd(s: string, needle: string, from: number): number {
  const at = s.indexOf(needle, from);
  return at < 0 ? s.length : at;
}

/** Index of the ">" that ends a tag whose name ends at `from`, skipping quoted attribute values. */
function findTagEnd(s: string, from: number): number {
  let quote = 0;
  for (let k = from; k < s.length; k++) {
    const ch = s.charCodeAt(k);
    if (quote) {
      if (ch === quote) quote = 0;
    } else if (ch === 34 || ch === 39) {
      // Quotes open a value only after "=" (an apostrophe elsewhere is just a character).
      let b = k - 1;
      while (b > from && (s.charCodeAt(b) === 32 || s.charCodeAt(b) === 9 || s.charCodeAt(b) === 10)) b--;
      if (s.charCodeAt(b) === 61) quote = ch;
    } else if (ch === 62) return k;
  }
  return s.length - 1;
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
