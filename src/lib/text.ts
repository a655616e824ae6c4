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
  return decodeHTML(
    html
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<\/?(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|blockquote|pre|hr|table)\b[^>]*>/gi, " ")
      .replace(/<\/?[a-zA-Z][^>]*>/g, ""),
  )
    .replace(/\s+/g, " ")
    .trim();
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

/**
 * A URL-safe id from heading text: lower case, accents folded, runs of anything but letters and
 * digits become one hyphen. Non-Latin letters are kept (a Chinese heading gets a Chinese slug).
 */
export function slugify(text: string, max = 60): string {
  // ASCII needs no folding, and its letters and digits are [a-z0-9].
  const slug = ASCII.test(text)
    ? text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    : text
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, "-")
        .replace(/^-+|-+$/g, "");
  return slug.length > max ? slug.slice(0, max).replace(/-+$/, "") : slug;
}

const ASCII = /^[\x00-\x7f]*$/;

/** A text fragment (https://wicg.github.io/scroll-to-text-fragment/) that scrolls to `text`. */
export function textFragment(text: string): string {
  const words = text.split(" ").slice(0, 8).join(" ");
  return ":~:text=" + encodeURIComponent(words).replace(/-/g, "%2D");
}

/** "a, b or c" */
export function oneOf(values: readonly string[]): string {
  return values.length <= 1 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}
