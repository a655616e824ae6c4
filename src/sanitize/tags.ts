/** What the sanitizer knows of a tag name (flags and the allowed element's index), and the bytes it writes. */
import { replacement } from "../lib/edits.js";
import { CLOSES_P_ELEMENTS, HEADING_ELEMENTS, KeyTable, RAW_TEXT_ELEMENTS, VOID_ELEMENTS } from "../lib/tags.js";
import { utf8Bytes } from "../lib/utf8.js";
import * as policy from "./policy.js";

// What a tag name means, as bit flags; an allowed element's index in TAG_NAMES sits above them.
export const ALLOWED = 1;
export const VOID = 2;
/** Dropped with its content. */
export const DROP = 4;
/** Its content is text up to its end tag (script, style, iframe…). */
export const RAW = 8;
/** Its start tag closes an open <p>. */
export const CLOSES_P = 16;
export const PARA = 32;
export const LI = 64;
export const DT_DD = 128;
export const LIST = 256;
export const DL = 512;
export const TR = 1024;
export const CELL = 2048;
export const TABLE_SECTION = 4096;
export const TABLE = 8192;
/** An end tag does not look for its element past this one (HTML's "in scope"). */
export const SCOPE = 16384;
export const HEADING = 32768;
export const ANCHOR = 65536;
export const IFRAME = 131072;
export const INDEX_SHIFT = 18;
/** Start tags that may close open elements. */
export const IMPLIES_END = CLOSES_P | LI | DT_DD | TR | CELL | TABLE_SECTION | ANCHOR | HEADING;

export const TAG_NAMES = Object.keys(policy.ALLOWED);
export const TAGS = new KeyTable(9);
TAG_NAMES.forEach((name, k) => TAGS.add(name, ALLOWED | (k << INDEX_SHIFT)));
TAGS.add(VOID_ELEMENTS, VOID);
TAGS.add(policy.DROPPED_WITH_CONTENT.join(" "), DROP);
// In a reader, scripting is on: noscript's content is text too.
TAGS.add(`${RAW_TEXT_ELEMENTS} noscript`, RAW);
TAGS.add(CLOSES_P_ELEMENTS, CLOSES_P);
TAGS.add("p", PARA).add("li", LI).add("dt dd", DT_DD).add("ul ol menu", LIST).add("dl", DL).add("tr", TR).add("td th", CELL);
TAGS.add("thead tbody tfoot", TABLE_SECTION).add("table", TABLE).add("table td th caption", SCOPE);
TAGS.add(HEADING_ELEMENTS, HEADING).add("a", ANCHOR).add("iframe", IFRAME);

export const END_TAGS = TAG_NAMES.map((name) => replacement(utf8Bytes(`</${name}>`)));
export const START_NAMES = TAG_NAMES.map((name) => utf8Bytes(`<${name}`));

export const IFRAME_HOSTS = new Set<string>(policy.IFRAME_HOSTS);
export const REL_TEXT = ` rel="${policy.LINK_REL}"`;
export const REL = replacement(utf8Bytes(REL_TEXT));
export const ESCAPED_LT = replacement(utf8Bytes("&lt;"));
export const NOTHING = replacement(new Uint8Array(0));

export const LT = 60;
export const GT = 62;
export const SLASH = 47;
export const EQUALS = 61;
export const DQUOTE = 34;
export const SQUOTE = 39;

/** HTML's whitespace between attributes: tab, LF, FF, CR, space. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 12 || c === 13;
}
