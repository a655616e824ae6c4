import { applyEdits, type Edit, replacement } from "../lib/edits.js";
import { type Utf8Html, utf8Bytes, utf8Text } from "../lib/utf8.js";

const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
/** A URL attribute and its quoted value, inside a tag (`rewriteTag` runs it over one tag). */
const URL_ATTR = /(\s(?:href|src|poster|cite)\s*=\s*)(?:"([^"]*)"|'([^']*)')/g;

/** Resolve `url` against `base`; undefined when either is unusable. */
export function resolveUrl(url: string, base: string | undefined): string | undefined {
  try {
    return new URL(url, base || undefined).href;
  } catch {
    return undefined;
  }
}

/**
 * Make href/src/poster/cite attribute values absolute against `base`, so that a slice of the issue
 * still links correctly when a reader shows it away from the upstream page. Absolute values are
 * left untouched (byte for byte); only attributes inside tags are considered.
 */
export function absolutizeLinks(html: string, base: string | undefined): string {
  if (!base) return html;
  const tags = urlAttributes(html);
  // Only the tags that hold a relative value (a few among thousands of links) are rewritten:
  // from the tag's "<" to the end of its last relative value.
  let out = "";
  let last = 0;
  for (const [start, end] of tags) {
    out += html.slice(last, start) + rewriteTag(html.slice(start, end), base);
    last = end;
  }
  return out + html.slice(last);
}

/**
 * `absolutizeLinks` on UTF-8 HTML, given its `relativeUrlTags`: the same rewriting, tag by tag;
 * the same object when nothing changes. What the decoder noted (`lt`, `wide`) is carried over:
 * moved past each rewritten tag, found again inside it.
 */
export function absolutizeUtf8(html: Utf8Html, base: string | undefined, tags: [number, number][]): Utf8Html {
  const { bytes } = html;
  if (!base || tags.length === 0) return html;
  const edits: Edit[] = [];
  for (const [start, end] of tags) {
    const tag = utf8Text(bytes, start, end);
    const rewritten = rewriteTag(tag, base);
    if (rewritten !== tag) edits.push({ start, end, bytes: replacement(utf8Bytes(rewritten)) });
  }
  return applyEdits(html, edits);
}

/** The URL attributes of one tag (a piece of HTML from its "<") made absolute against `base`. */
function rewriteTag(tag: string, base: string): string {
  return tag.replace(URL_ATTR, (whole: string, prefix: string, dq?: string, sq?: string) => {
    const value = dq ?? sq ?? "";
    if (ABSOLUTE.test(value)) return whole;
    const abs = resolveUrl(value.replace(/&amp;/g, "&"), base);
    if (abs === undefined) return whole;
    const quoted = abs.replace(/&/g, "&amp;").replace(/"/g, "%22");
    return `${prefix}"${quoted}"`;
  });
}

/**
 * One indexOf pass per attribute name (href, src, poster, cite) over the HTML — an issue has
 * thousands of links, nearly all absolute: [start, end) of each tag that may hold a relative
 * URL_ATTR value, from its "<" to after its last such quoted value, in document order — a
 * superset of the tags `rewriteTag` changes (each is then matched exactly).
 */
function urlAttributes(html: string): [number, number][] {
  const tags: [number, number][] = [];
  for (const name of ["href", "src", "poster", "cite"]) {
    for (let at = html.indexOf(name); at >= 0; at = html.indexOf(name, at + name.length)) {
      let k = at + name.length;
      if (!isSpace(html.charCodeAt(at - 1))) continue;
      while (isSpace(html.charCodeAt(k))) k++;
      if (html.charCodeAt(k++) !== 61 /* = */) continue;
      while (isSpace(html.charCodeAt(k))) k++;
      const quote = html.charCodeAt(k);
      if (quote !== 34 && quote !== 39) continue;
      const valueEnd = html.indexOf(quote === 34 ? '"' : "'", k + 1);
      if (valueEnd < 0 || isAbsoluteAt(html, k + 1, valueEnd)) continue;
      const lt = html.lastIndexOf("<", at);
      if (lt < 0 || html.lastIndexOf(">", at) > lt) continue;
      tags.push([lt, valueEnd + 1]);
    }
  }
  return inOrder(tags);
}

/** `\s` for the characters that precede or surround an attribute in practice; others fall to URL_ATTR. */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || (c > 127 && /\s/.test(String.fromCharCode(c)));
}

/** ABSOLUTE on html[from, end): a scheme (a letter, then letters, digits, "+", ".", "-") and ":". */
function isAbsoluteAt(html: string, from: number, end: number): boolean {
  const c = html.charCodeAt(from) | 32;
  if (from >= end || c < 97 || c > 122) return false;
  for (let k = from + 1; k < end; k++) {
    const d = html.charCodeAt(k);
    if (d === 58) return true;
    const l = d | 32;
    if (!((l >= 97 && l <= 122) || (d >= 48 && d <= 57) || d === 43 || d === 46 || d === 45)) return false;
  }
  return false;
}

/**
 * `urlAttributes(html).tags` on UTF-8 HTML, with one search for "=" instead of one per attribute
 * name (none when `equals` gives where every "=" is): [start, end) of each tag that may hold a
 * relative URL, in order, without overlaps; undefined when unsure (a non-ASCII byte where a space
 * could be: look at the string instead).
 */
export function relativeUrlTags(b: Uint8Array, equals?: Int32Array): [number, number][] | undefined {
  const n = b.length;
  const tags: [number, number][] = [];
  let q = 0;
  const next = equals ? () => (q < equals.length ? equals[q++]! : -1) : (from: number) => b.indexOf(61, from);
  for (let e = next(0); e >= 0; e = next(e + 1)) {
    // A name, spaces, "=", spaces, a quote, a value that is not absolute, all inside a tag.
    let k = e - 1;
    while (k >= 0 && isAsciiSpace(b[k]!)) k--;
    if (k >= 0 && b[k]! >= 0x80) return undefined;
    const length = urlNameBefore(b, k + 1);
    if (!length) continue;
    const at = k + 1 - length;
    const before = b[at - 1];
    if (before === undefined || !(isAsciiSpace(before) || before >= 0x80)) continue;
    let v = e + 1;
    while (v < n && isAsciiSpace(b[v]!)) v++;
    if (b[v]! >= 0x80) return undefined;
    const quote = b[v];
    if (quote !== 34 && quote !== 39) continue;
    // An absolute value (nearly all) is told from its first bytes (a quote ends a scheme too);
    // only the others need their end found.
    if (isSchemeAt(b, v + 1, n)) continue;
    const valueEnd = b.indexOf(quote, v + 1);
    if (valueEnd < 0 || isSchemeAt(b, v + 1, valueEnd)) continue;
    const lt = b.lastIndexOf(60, at);
    if (lt >= 0 && b.lastIndexOf(62, at) < lt) tags.push([lt, valueEnd + 1]);
  }
  return inOrder(tags);
}

/**
 * Ranges in document order, overlapping ones merged: a tag with two relative values is one range
 * from its "<" to the end of the later value, so that both are rewritten.
 */
function inOrder(ranges: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [start, end] of ranges.sort((x, y) => x[0] - y[0])) {
    const last = merged[merged.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Length of the URL attribute name (href, src, poster, cite) that ends at `end`, else 0. */
function urlNameBefore(b: Uint8Array, end: number): number {
  switch (b[end - 1]) {
    case 102: // f
      return b[end - 2] === 101 && b[end - 3] === 114 && b[end - 4] === 104 && end >= 4 ? 4 : 0;
    case 99: // c
      return b[end - 2] === 114 && b[end - 3] === 115 && end >= 3 ? 3 : 0;
    case 101: // e
      return b[end - 2] === 116 && b[end - 3] === 105 && b[end - 4] === 99 && end >= 4 ? 4 : 0;
    case 114: // r
      return b[end - 2] === 101 && b[end - 3] === 116 && b[end - 4] === 115 && b[end - 5] === 111 && b[end - 6] === 112 && end >= 6 ? 6 : 0;
    default:
      return 0;
  }
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** `isAbsoluteAt` on bytes [from, end). */
function isSchemeAt(b: Uint8Array, from: number, end: number): boolean {
  const first = b[from]! | 32;
  if (from >= end || first < 97 || first > 122) return false;
  for (let v = from + 1; v < end; v++) {
    const c = b[v]!;
    if (c === 58) return true;
    const l = c | 32;
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45)) return false;
  }
  return false;
}
