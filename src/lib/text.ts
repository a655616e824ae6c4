import { decodeHTML } from "entities";

// C0 controls that XML 1.0 forbids (all but tab, LF, CR) and the non-characters U+FFFE/U+FFFF.
// Real feeds contain them; they are dropped so that the item survives and our output stays valid XML.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function stripXmlForbidden(s: string): string {
  const clean = XML_FORBIDDEN.test(s) ? s.replace(XML_FORBIDDEN, "") : s;
  XML_FORBIDDEN.lastIndex = 0;
  // Lone surrogates are not characters either: U+FFFD stands in for them.
  return clean.isWellFormed() ? clean : clean.toWellFormed();
}

/**
 * Decode the XML predefined entities and character references in one pass.
 * Hand-written because this runs over megabytes of entity-escaped HTML on every cold ingest
 * (`npm run bench` compares it with entities' decodeXML): an indexOf-driven pass that
 * recognises the five predefined entities by their characters, without allocating.
 * Unknown entities are left as they are.
 */
export function decodeXmlEntities(s: string): string {
  let amp = s.indexOf("&");
  if (amp < 0) return s;
  const parts: string[] = [];
  let last = 0;
  while (amp >= 0) {
    let rep: string | undefined;
    let len = 0; // length of the reference including & and ;
    const c1 = s.charCodeAt(amp + 1);
    const c2 = s.charCodeAt(amp + 2);
    const c3 = s.charCodeAt(amp + 3);
    if (c1 === 108 /* l */ && c2 === 116 /* t */ && c3 === 59) { rep = "<"; len = 4; }
    else if (c1 === 103 /* g */ && c2 === 116 && c3 === 59) { rep = ">"; len = 4; }
    else if (c1 === 97 /* a */) {
      if (c2 === 109 /* m */ && c3 === 112 /* p */ && s.charCodeAt(amp + 4) === 59) { rep = "&"; len = 5; }
      else if (s.startsWith("apos;", amp + 1)) { rep = "'"; len = 6; }
    } else if (c1 === 113 /* q */ && s.startsWith("quot;", amp + 1)) { rep = '"'; len = 6; }
    else if (c1 === 35 /* # */) {
      const semi = s.indexOf(";", amp + 2);
      if (semi > 0 && semi - amp <= 10) {
        const hex = c2 === 120 || c2 === 88;
        const digits = s.slice(amp + (hex ? 3 : 2), semi);
        const cp = (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
        if (cp > 0 && cp <= 0x10ffff) { rep = String.fromCodePoint(cp); len = semi - amp + 1; }
      }
    }
    if (rep !== undefined) {
      parts.push(s.slice(last, amp), rep);
      last = amp + len;
    }
    amp = s.indexOf("&", rep !== undefined ? last : amp + 1);
  }
  parts.push(s.slice(last));
  return parts.join("");
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
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return slug.length > max ? slug.slice(0, max).replace(/-+$/, "") : slug;
}

/** A text fragment (https://wicg.github.io/scroll-to-text-fragment/) that scrolls to `text`. */
export function textFragment(text: string): string {
  const words = text.split(" ").slice(0, 8).join(" ");
  return ":~:text=" + encodeURIComponent(words).replace(/-/g, "%2D");
}
