import { decodeHTML, decodeXML } from "entities";

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
  return (stripped.includes("&") ? decodeHTML(stripped) : stripped).replace(/\s+/g, " ").trim();
}

const BLOCK_TAGS = new Set(["br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote", "pre", "hr", "table"]);

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
    out += html.slice(last, i) + (BLOCK_TAGS.has(html.slice(j, k).toLowerCase()) ? " " : "");
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
  const slug = asciiSlug(text) ?? unicodeSlug(text);
  return slug.length > max ? slug.slice(0, max).replace(/-+$/, "") : slug;
}

/** The slug of ASCII text ([a-z0-9] runs joined by "-"), in one pass; undefined for other text. */
function asciiSlug(text: string): string | undefined {
  let slug = "";
  let dash = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 128) return undefined;
    const l = c | 32;
    if ((l >= 97 && l <= 122) || (c >= 48 && c <= 57)) {
      if (dash) slug += "-";
      dash = false;
      slug += String.fromCharCode(c >= 65 && c <= 90 ? l : c);
    } else dash = slug.length > 0;
  }
  return slug;
}

function unicodeSlug(text: string): string {
  // Lower-casing a final sigma depends on what follows it: the whole text at once.
  if (text.includes("\u03a3")) return unicodeSlugWhole(text);
  // Otherwise character by character: NFKD, combining accents dropped, lower case, and
  // anything but a letter or a digit is a separator — only non-ASCII characters pay for it.
  let slug = "";
  let dash = false;
  for (const ch of text) {
    const folded = ch.charCodeAt(0) < 128 ? ch : ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    for (const c of folded) {
      const code = c.charCodeAt(0);
      const l = code | 32;
      const keep = code < 128 ? (l >= 97 && l <= 122) || (code >= 48 && code <= 57) : LETTER_OR_DIGIT.test(c);
      if (!keep) {
        dash = slug.length > 0;
        continue;
      }
      if (dash) slug += "-";
      dash = false;
      slug += code < 128 && code >= 65 && code <= 90 ? String.fromCharCode(l) : c;
    }
  }
  return slug;
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
