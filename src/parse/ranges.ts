/**
 * Finding a feed's entries and their bodies in its UTF-8 bytes, without decoding the whole body
 * into a string: every delimiter that matters is ASCII, and in UTF-8 an ASCII byte is always that
 * character. The entries are read one at a time (`entryRanges`), hashed as bytes and decoded only
 * when they are new (`ByteReader`, bytes.ts).
 */
import type { ByteReader } from "./bytes.js";

const LT = 60; // <
const GT = 62; // >
const SLASH = 47; // /
const BANG = 33; // !

/** Where an entry lies in the body: [start, end), from its "<" to after its end tag's ">". */
export interface EntryRange {
  start: number;
  end: number;
  /**
   * Where its markup is: the offset of every "<" after its start tag, up to its end tag's, that
   * does not open a CDATA section, a comment or a declaration (those are skipped whole). Text
   * and CDATA lie between them: an entry's bodies are found without scanning them again.
   */
  tags: number[];
}

/** ASCII text as bytes: tag names, made once each. */
const ASCII = new Map<string, Uint8Array>();
function ascii(s: string): Uint8Array {
  let bytes = ASCII.get(s);
  if (!bytes) {
    bytes = new Uint8Array(s.length);
    for (let k = 0; k < s.length; k++) bytes[k] = s.charCodeAt(k);
    if (ASCII.size < 64) ASCII.set(s, bytes);
  }
  return bytes;
}
const CDATA = ascii("<![CDATA[");
const COMMENT = ascii("<!--");

function startsWith(b: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at + needle.length > b.length) return false;
  for (let k = 0; k < needle.length; k++) if (b[at + k] !== needle[k]) return false;
  return true;
}

/** Index just after the next `a b c` (three bytes) from `from`, or the end of `b`. */
function after3(b: Uint8Array, x: number, y: number, z: number, from: number, end = b.length): number {
  for (let i = b.indexOf(x, from); i >= 0 && i < end; i = b.indexOf(x, i + 1)) {
    if (b[i + 1] === y && b[i + 2] === z) return i + 3;
  }
  return end;
}

/** Past a "<!…" construct at `i`: a CDATA section, a comment, or a declaration. */
function skipBang(b: Uint8Array, i: number, end = b.length): number {
  if (startsWith(b, i, CDATA)) return after3(b, 93, 93, GT, i + 9, end); // ]]>
  if (startsWith(b, i, COMMENT)) return after3(b, 45, 45, GT, i + 4, end); // -->
  const gt = b.indexOf(GT, i + 2);
  return gt < 0 || gt > end ? end : gt + 1;
}

/** After a tag name: whitespace, ">" or "/". */
function isBoundary(c: number | undefined): boolean {
  return c === GT || c === SLASH || c === 32 || c === 10 || c === 13 || c === 9;
}

function nameAt(b: Uint8Array, at: number, name: Uint8Array): boolean {
  return startsWith(b, at, name) && isBoundary(b[at + name.length]);
}

/**
 * The entries (`<item>` or `<entry>` elements) of a feed, found one after the other from `from`:
 * the same cutting rules as `findEntries` (CDATA and comments skipped whole), on bytes. Lazy, so
 * that a refresh can stop at the first entry it already has.
 */
export function* entryRanges(body: ByteReader, tag: string, from = 0): Generator<EntryRange> {
  const b = body.bytes;
  const open = ascii(`<${tag}`);
  const close = ascii(`</${tag}`);
  let start = -1;
  let tags: number[] = [];
  let i = body.find(LT, from);
  while (i >= 0) {
    if (b[i + 1] === BANG) {
      i = skipBang(b, i);
    } else if (start < 0 && nameAt(b, i, open)) {
      start = i;
      tags = [];
      i += open.length;
    } else if (start >= 0 && nameAt(b, i, close)) {
      const gt = b.indexOf(GT, i);
      const end = gt < 0 ? b.length : gt + 1;
      tags.push(i);
      yield { start, end, tags };
      start = -1;
      i = end;
    } else {
      if (start >= 0) tags.push(i);
      i++;
    }
    i = i >= b.length ? -1 : body.find(LT, i);
  }
}

/** End of the last end tag of `tag` in `b` (after its ">"), searching back to `from`; `from` if none. */
export function lastEndTag(b: Uint8Array, tag: string, from: number): number {
  const close = ascii(`</${tag}`);
  for (let i = b.lastIndexOf(LT); i >= from; i = i === 0 ? -1 : b.lastIndexOf(LT, i - 1)) {
    if (nameAt(b, i, close)) {
      const gt = b.indexOf(GT, i);
      return gt < 0 ? b.length : gt + 1;
    }
  }
  return from;
}

/** A body element found inside an entry: the element's inner range, its name and its start tag. */
export interface BodyElement {
  name: string;
  tagStart: number;
  innerStart: number;
  innerEnd: number;
}

/**
 * The direct children of an entry whose content is only text and CDATA (an issue's escaped or
 * CDATA-wrapped HTML), among `names`. A child with element content (Atom xhtml) is not returned:
 * the XML parser reads it.
 */
export function bodyElements(b: Uint8Array, entry: EntryRange, names: readonly string[]): BodyElement[] {
  const wanted = names.map((n) => ({ name: n, bytes: ascii(n) }));
  const out: BodyElement[] = [];
  const { tags } = entry;
  let depth = 0;
  let gt = entry.start;
  for (let t = 0; t < tags.length; t++) {
    const i = tags[t]!;
    const c = b[i + 1];
    if (c === 63 /* ? */ || i <= gt) continue; // a processing instruction, or a "<" inside the last tag
    if (c === SLASH) {
      depth--;
      continue;
    }
    gt = tagEnd(b, i, entry.end);
    const selfClosing = b[gt - 1] === SLASH;
    if (depth === 0 && !selfClosing) {
      const hit = wanted.find((w) => nameAt(b, i + 1, w.bytes));
      // Text and CDATA only: the next markup is the element's end tag.
      const close = tags[t + 1];
      if (hit && close !== undefined && close > gt && b[close + 1] === SLASH && nameAt(b, close + 2, hit.bytes)) {
        out.push({ name: hit.name, tagStart: i, innerStart: gt + 1, innerEnd: close });
        t++;
        continue;
      }
    }
    if (!selfClosing) depth++;
  }
  return out;
}

/** The ">" that ends the tag at `i`, skipping quoted attribute values. */
function tagEnd(b: Uint8Array, i: number, end: number): number {
  let quote = 0;
  for (let k = i + 1; k < end; k++) {
    const c = b[k]!;
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === GT) return k;
  }
  return end - 1;
}
