import { decodeHTML, decodeXML } from "entities";
import { findAngle, viewOf } from "./bytes.js";
import { utf8Text } from "./utf8.js";
import { WORD_BREAK_ELEMENTS } from "./tags.js";

/** XML's five predefined entities and character references, decoded (entities' trie decoder). */
export const decodeXmlEntities = (s: string): string => (s.includes("&") ? decodeXML(s) : s);

// C0 controls that XML 1.0 forbids (all but tab, LF, CR) and the non-characters U+FFFE/U+FFFF.
// Real feeds contain them; they are dropped so that the item survives and our output stays valid XML.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function stripXmlForbidden(s: string): string {
  const clean = XML_FORBIDDEN.test(s) ? s.replace(XML_FORBIDDEN, "") : s;
  XML_FORBIDDEN.lastIndex = 0;
  // Lone surrogates are not characters either: U+FFFD stands in for them.
  return clean.isWellFormed() ? clean : clean.toWellFormed();
}

/** The text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  const stripped = html.includes("<") ? stripTags(html) : html;
  return collapseWhitespace(stripped.includes("&") ? decodeHTML(stripped) : stripped);
}

/**
 * `htmlToText(utf8Text(b, start, end))` for HTML as UTF-8 bytes: the tags are dropped from the
 * bytes (`stripTags`' rules), so that only the text becomes a string. With a comment or a "<"
 * inside a tag, the string path decides.
 */
export function htmlBytesToText(b: Uint8Array, start: number, end: number, view = viewOf(b)): string {
  // Text bytes are copied as they are read: no output is longer than its input (a run of spaces
  // or a tag becomes one space at most).
  if (textBytes.length < end - start) textBytes = new Uint8Array(Math.max(textBytes.length * 2, end - start));
  const out = textBytes;
  let o = 0;
  let pending = false; // a space is due before the next text byte
  let unicodeSpace = false; // a space beyond ASCII was copied
  let reference = false; // an "&" was copied
  let tags = true; // false past a "<" whose tag has no ">": the rest is text
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c === 60 /* < */ && tags) {
      let j = i + 1;
      if (b[j] === 33 /* ! */) return htmlToText(utf8Text(b, start, end)); // perhaps a comment
      if (b[j] === 47 /* / */) j++;
      const first = j < end ? b[j]! | 32 : 0;
      if (first >= 97 && first <= 122) {
        const gt = findAngle(b, view, j, end); // the tag's ">", unless a "<" comes first
        if (gt === end) tags = false; // no tag without its ">": the rest is text
        else {
          if (b[gt] === 60) return htmlToText(utf8Text(b, start, end)); // a "<" inside a tag
          let k = j;
          while (k < gt && isWordChar(b[k]!)) k++;
          if (isBlockTagBytes(b, j, k)) pending = true;
          i = gt;
          continue;
        }
      }
      // Otherwise a "<" in text.
    } else if (c === 32 || (c >= 9 && c <= 13)) {
      pending = true;
      continue;
    }
    if (pending && o > 0) out[o++] = 32;
    pending = false;
    if (c === 38) reference = true;
    else if (c >= 0xc2 && isUnicodeSpaceAt(b, i)) unicodeSpace = true;
    out[o++] = c;
  }
  const stripped = utf8Text(out, 0, o);
  // ASCII spaces are collapsed already; what references or other spaces bring is collapsed here.
  if (reference) return collapseWhitespace(decodeHTML(stripped));
  return unicodeSpace ? collapseWhitespace(stripped) : stripped;
}

/** Where `htmlBytesToText` gathers the text between tags (grown as needed, kept between calls). */
let textBytes = new Uint8Array(1024);

/**
 * Whether the UTF-8 sequence at b[k] (a byte from 0x80) is a space to `\s` (`isUnicodeSpace`):
 * U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
 */
export function isUnicodeSpaceAt(b: Uint8Array, k: number): boolean {
  const c = b[k];
  const c1 = b[k + 1]!;
  const c2 = b[k + 2]!;
  if (c === 0xc2) return c1 === 0xa0;
  if (c === 0xe1) return c1 === 0x9a && c2 === 0x80;
  if (c === 0xe2) return (c1 === 0x80 && (c2 <= 0x8a || c2 === 0xa8 || c2 === 0xa9 || c2 === 0xaf)) || (c1 === 0x81 && c2 === 0x9f);
  if (c === 0xe3) return c1 === 0x80 && c2 === 0x80;
  if (c === 0xef) return c1 === 0xbb && c2 === 0xbf;
  return false;
}

/** `isBlockTag` on ASCII bytes [start, end). */
function isBlockTagBytes(b: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length > 2 && length !== 3 && length !== 5 && length !== 10) return false;
  if (length === 1) return (b[start]! | 32) === 112; // p
  let name = "";
  for (let k = start; k < end; k++) name += String.fromCharCode(b[k]! | 32);
  return BLOCK_TAGS.has(name);
}

/** What `\s` matches beyond ASCII. */
function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** `s.replace(/\s+/g, " ").trim()`, in one pass, without a copy when there is nothing to collapse. */
export function collapseWhitespace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isSpace(s.charCodeAt(start))) start++;
  while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  let out = "";
  let from = start; // start of the text not yet copied to `out`
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (!isSpace(c)) continue;
    let j = k + 1;
    while (isSpace(s.charCodeAt(j))) j++;
    if (c !== 32 || j > k + 1) {
      out += s.slice(from, k) + " ";
      from = j;
    }
    k = j - 1;
  }
  if (from === start) return start === 0 && end === s.length ? s : s.slice(start, end);
  return out + s.slice(from, end);
}

/** What `\s` matches. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && isUnicodeSpace(c));
}

const BLOCK_TAGS = new Set(WORD_BREAK_ELEMENTS.split(" "));

/**
 * BLOCK_TAGS.has(s.slice(start, end).toLowerCase()), without the copies for the usual inline tag:
 * the names in it are 1, 2, 3, 5 or 10 letters long.
 */
function isBlockTag(s: string, start: number, end: number): boolean {
  const length = end - start;
  if (length > 2 && length !== 3 && length !== 5 && length !== 10) return false;
  if (length === 1) return (s.charCodeAt(start) | 32) === 112; // p
  return BLOCK_TAGS.has(s.slice(start, end).toLowerCase());
}

/**
 * Comments dropped, block-level tags (br, p, div, li…) become a space, other tags nothing: in one
 * pass for the usual fragment; with the three patterns when a comment or a "<" inside a tag makes
 * the order of the passes matter.
 */
function stripTags(html: string): string {
  if (html.includes("<!--")) return stripTagsByPatterns(html);
  let out = "";
  let last = 0;
  for (let i = html.indexOf("<"); i >= 0; i = html.indexOf("<", i + 1)) {
    let j = i + 1;
    if (html.charCodeAt(j) === 47 /* / */) j++;
    const first = html.charCodeAt(j) | 32;
    if (first < 97 || first > 122) continue; // not a tag: a "<" in text
    const gt = html.indexOf(">", j);
    if (gt < 0) break; // no tag without its ">"
    const lt = html.indexOf("<", j);
    if (lt >= 0 && lt < gt) return stripTagsByPatterns(html);
    let k = j;
    while (k < gt && isWordChar(html.charCodeAt(k))) k++;
    out += html.slice(last, i) + (isBlockTag(html, j, k) ? " " : "");
    last = gt + 1;
    i = gt;
  }
  return out + html.slice(last);
}

function isWordChar(c: number): boolean {
  const l = c | 32;
  return (l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 95;
}

function stripTagsByPatterns(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<\/?(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|blockquote|pre|hr|table)\b[^>]*>/gi, " ")
    .replace(/<\/?[a-zA-Z][^>]*>/g, "");
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

/**
 * A URL-safe id from heading text: lower case, accents folded, runs of anything but letters and
 * digits become one hyphen. Non-Latin letters are kept (a Chinese heading gets a Chinese slug).
 */
export function slugify(text: string, max = 60): string {
  // Lower-casing a final sigma depends on what follows it: the whole text at once.
  const slug = text.includes("\u03a3") ? unicodeSlugWhole(text) : slugByCharacter(text);
  return slug.length > max ? slug.slice(0, max).replace(/-+$/, "") : slug;
}

/**
 * The slug in one pass, character by character: ASCII letters and digits kept (lower case),
 * other ASCII a separator, other characters folded by `foldedChar` (NFKD, combining accents
 * dropped, lower case, then letters and digits kept) — so only non-ASCII characters pay for it,
 * once each.
 */
function slugByCharacter(text: string): string {
  let slug = "";
  let dash = false;
  let run = -1; // start of the run of ASCII letters and digits being read
  let upper = false; // whether that run has an upper-case letter
  for (let k = 0; k <= text.length; k++) {
    const c = k < text.length ? text.charCodeAt(k) : 0;
    const l = c | 32;
    if ((l >= 97 && l <= 122) || (c >= 48 && c <= 57)) {
      if (run < 0) run = k;
      if (c < 97 && c >= 65) upper = true;
      continue;
    }
    if (run >= 0) {
      // Runs are appended whole: one string a run, not one a character.
      const part = upper ? text.slice(run, k).toLowerCase() : text.slice(run, k);
      slug += dash ? "-" + part : part;
      dash = false;
      run = -1;
      upper = false;
    }
    if (k === text.length) break;
    if (c < 128) {
      dash = slug.length > 0;
      continue;
    }
    // One character: a surrogate pair is one.
    const pair = c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00;
    const parts = foldedChar(pair ? text.codePointAt(k)! : c);
    if (pair) k++;
    for (const part of parts) {
      if (part === "") {
        dash = slug.length > 0;
        continue;
      }
      slug += dash ? "-" + part : part;
      dash = false;
    }
  }
  return slug;
}

/** What a non-ASCII character adds to a slug: its folded characters, "" for each separator. */
const FOLDED = new Map<number, string[]>();

/** `code`: a code point, or a lone surrogate. */
function foldedChar(code: number): string[] {
  let parts = FOLDED.get(code);
  if (!parts) {
    parts = [];
    for (const c of String.fromCodePoint(code).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()) {
      const code = c.charCodeAt(0);
      const l = code | 32;
      const keep = code < 128 ? (l >= 97 && l <= 122) || (code >= 48 && code <= 57) : LETTER_OR_DIGIT.test(c);
      parts.push(keep ? (code >= 65 && code <= 90 ? String.fromCharCode(l) : c) : "");
    }
    if (FOLDED.size >= 4096) FOLDED.clear();
    FOLDED.set(code, parts);
  }
  return parts;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function unicodeSlugWhole(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** A text fragment (https://wicg.github.io/scroll-to-text-fragment/) that scrolls to `text`. */
export function textFragment(text: string): string {
  // The first eight words: up to the eighth space.
  let end = -1;
  for (let n = 0; n < 8; n++) {
    end = text.indexOf(" ", end + 1);
    if (end < 0) break;
  }
  const encoded = encodeURIComponent(end < 0 ? text : text.slice(0, end));
  return ":~:text=" + (encoded.includes("-") ? encoded.replace(/-/g, "%2D") : encoded);
}

/** "a, b or c" */
export function oneOf(values: readonly string[]): string {
  return values.length <= 1 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}
