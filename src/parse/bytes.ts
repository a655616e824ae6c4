/**
 * Reading an XML feed from its UTF-8 bytes, without decoding the whole body into a string:
 * entries are found by scanning bytes (every delimiter that matters is ASCII, and in UTF-8 an
 * ASCII byte is always that character), hashed as bytes, and decoded one at a time when they
 * are new. An entry's body (description, content:encoded, content, summary — the HTML,
 * 99% of the bytes) is decoded by `decodeXmlText` straight from the bytes: entity references,
 * CDATA sections and the characters XML forbids are handled in one pass, and only the result is
 * turned into a string. The rest of an entry is small and goes through the XML parser.
 */

const LT = 60; // <
const GT = 62; // >
const AMP = 38; // &
const SLASH = 47; // /
const BANG = 33; // !

/** Where an entry lies in the body: [start, end), from its "<" to after its end tag's ">". */
export interface EntryRange {
  start: number;
  end: number;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
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

/** Index of the "]]>" that closes a CDATA section whose content starts at `from`; -1 if none before `end`. */
function cdataEnd(b: Uint8Array, from: number, end: number): number {
  for (let i = b.indexOf(93, from); i >= 0 && i + 2 < end; i = b.indexOf(93, i + 1)) {
    if (b[i + 1] === 93 && b[i + 2] === GT) return i;
  }
  return -1;
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
export function* entryRanges(b: Uint8Array, tag: string, from = 0): Generator<EntryRange> {
  const open = ascii(`<${tag}`);
  const close = ascii(`</${tag}`);
  let start = -1;
  let i = b.indexOf(LT, from);
  while (i >= 0) {
    if (b[i + 1] === BANG) {
      i = skipBang(b, i);
    } else if (start < 0 && nameAt(b, i, open)) {
      start = i;
      i += open.length;
    } else if (start >= 0 && nameAt(b, i, close)) {
      const gt = b.indexOf(GT, i);
      const end = gt < 0 ? b.length : gt + 1;
      yield { start, end };
      start = -1;
      i = end;
    } else {
      i++;
    }
    i = i >= b.length ? -1 : b.indexOf(LT, i);
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
  let depth = 0;
  let i = b.indexOf(LT, entry.start + 1);
  while (i >= 0 && i < entry.end) {
    const c = b[i + 1];
    if (c === BANG) {
      i = b.indexOf(LT, skipBang(b, i, entry.end));
      continue;
    }
    if (c === 63 /* ? */) {
      i = b.indexOf(LT, i + 2);
      continue;
    }
    const gt = tagEnd(b, i, entry.end);
    if (c === SLASH) {
      depth--;
      i = b.indexOf(LT, gt + 1);
      continue;
    }
    const selfClosing = b[gt - 1] === SLASH;
    if (depth === 0 && !selfClosing) {
      const hit = wanted.find((w) => nameAt(b, i + 1, w.bytes));
      if (hit) {
        const inner = gt + 1;
        const close = textEnd(b, inner, entry.end);
        if (close >= 0 && nameAt(b, close + 2, hit.bytes)) {
          out.push({ name: hit.name, tagStart: i, innerStart: inner, innerEnd: close });
          i = b.indexOf(LT, b.indexOf(GT, close) + 1);
          continue;
        }
      }
    }
    if (!selfClosing) depth++;
    i = b.indexOf(LT, gt + 1);
  }
  return out;
}

/** The "<" of the first markup after `from` that is not a CDATA section or a comment; -1 if none. */
function textEnd(b: Uint8Array, from: number, end: number): number {
  for (let i = b.indexOf(LT, from); i >= 0 && i < end; i = b.indexOf(LT, i)) {
    if (b[i + 1] === SLASH) return i;
    if (b[i + 1] !== BANG) return -1;
    i = skipBang(b, i, end);
  }
  return -1;
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

/**
 * Byte classes for `decodeXmlText`: 0 copies the byte, 1 marks one that needs a look (an entity,
 * a CDATA section, a C0 control, the first byte of U+FFFE/U+FFFF in UTF-8).
 */
const SPECIAL = new Uint8Array(256);
for (let c = 0; c < 32; c++) if (c !== 9 && c !== 10 && c !== 13) SPECIAL[c] = 1;
SPECIAL[AMP] = 1;
SPECIAL[LT] = 1;
SPECIAL[0xef] = 1;

let scratch = new Uint8Array(0);
const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/**
 * The text of XML element content [start, end) of UTF-8 bytes, as `decodeRaw` + `stripXmlForbidden`
 * would give it: CDATA sections literally, entity references (the five XML ones and numeric
 * references) decoded elsewhere, the characters XML 1.0 forbids dropped, invalid UTF-8 replaced
 * by U+FFFD. The output is never longer than the input, so it is written into one buffer.
 */
export function decodeXmlText(b: Uint8Array, start: number, end: number): DecodedBody {
  if (scratch.length < end - start) scratch = new Uint8Array(Math.max(end - start, scratch.length * 2));
  const out = scratch;
  const words = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const outWords = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let o = 0;
  let i = start;
  while (i < end) {
    if (i + 4 <= end) {
      // Four bytes at a time while none of them needs a look: no byte below 0x20 (tab and
      // newline included, so they take the slow path), none from 0x80, no "&", no "<".
      const w = words.getUint32(i, true);
      const a = w ^ 0x26262626;
      const l = w ^ 0x3c3c3c3c;
      if ((((w - 0x20202020) & ~w) | w | ((a - 0x01010101) & ~a) | ((l - 0x01010101) & ~l)) & 0x80808080) {
        // one of them does: byte by byte below
      } else {
        outWords.setUint32(o, w, true);
        o += 4;
        i += 4;
        continue;
      }
    }
    const c = b[i]!;
    if (SPECIAL[c] === 0) {
      out[o++] = c;
      i++;
    } else if (c === AMP) {
      const r = entity(b, i, end);
      if (r < 0) {
        out[o++] = c;
        i++;
      } else {
        const cp = r & 0x1fffff;
        i += r >>> 21;
        if (cp !== NONE) o = putCodePoint(out, o, cp);
      }
    } else if (c === LT && startsWith(b, i, CDATA)) {
      // Literal up to "]]>", still without forbidden characters.
      i += 9;
      const close = cdataEnd(b, i, end);
      const stop = close < 0 ? end : close;
      for (; i < stop; i++) {
        const d = b[i]!;
        if (d >= 32 || d === 9 || d === 10 || d === 13) {
          if (d === 0xef && b[i + 1] === 0xbf && (b[i + 2] === 0xbe || b[i + 2] === 0xbf)) i += 2;
          else out[o++] = d;
        }
      }
      i = close < 0 ? end : close + 3;
    } else if (c === 0xef) {
      if (b[i + 1] === 0xbf && (b[i + 2] === 0xbe || b[i + 2] === 0xbf)) i += 3;
      else {
        out[o++] = c;
        i++;
      }
    } else if (c < 32) {
      i++; // a forbidden control character
    } else {
      out[o++] = c; // a "<" of markup in text: kept as it is
      i++;
    }
  }
  const text = utf8.decode(out.subarray(0, o));
  const links = urlAttributesInBytes(out, o, text.length);
  return { text, relativeUrls: links.relative, relativeTags: links.tags };
}

/** A body decoded from bytes, and what absolutizeLinks needs to know of its URL attributes. */
export interface DecodedBody {
  text: string;
  /** False only when no href=, src=, poster= or cite= is followed by anything but an absolute URL. */
  relativeUrls: boolean;
  /**
   * The tags of `text` a relative URL attribute may lie in, as links.ts' `urlAttributes` finds
   * them ([start, end) in UTF-16 units, in order); undefined when the bytes could not tell.
   */
  relativeTags?: [number, number][];
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

/**
 * links.ts' `urlAttributes` on the decoded bytes: one memchr for "=" instead of a search of the
 * string per attribute name. `relative` is exact, or true when unsure (a non-ASCII byte where a
 * space could be); `tags` is undefined when unsure, and links.ts then searches the string.
 */
function urlAttributesInBytes(b: Uint8Array, n: number, units: number): { relative: boolean; tags?: [number, number][] } {
  let relative = false;
  let sure = true;
  const tags: [number, number][] = [];
  for (let e = b.indexOf(61); e >= 0 && e < n; e = b.indexOf(61, e + 1)) {
    // A name right before "=": the test for `relative`.
    if (!relative && urlNameBefore(b, e)) relative = !isAbsoluteAfterEquals(b, e + 1, n);
    // A name, spaces, "=", spaces, a quote: a candidate tag when the value is not absolute.
    let k = e - 1;
    while (k >= 0 && isAsciiSpace(b[k]!)) k--;
    if (k >= 0 && b[k]! >= 0x80) {
      sure = false;
      continue;
    }
    const length = urlNameBefore(b, k + 1);
    if (!length) continue;
    const at = k + 1 - length;
    const before = b[at - 1];
    if (before === undefined || !(isAsciiSpace(before) || before >= 0x80)) continue;
    let v = e + 1;
    while (v < n && isAsciiSpace(b[v]!)) v++;
    if (b[v]! >= 0x80) {
      sure = false;
      continue;
    }
    const quote = b[v];
    if (quote !== 34 && quote !== 39) continue;
    const valueEnd = b.indexOf(quote, v + 1);
    if (valueEnd < 0 || valueEnd >= n || isScheme(b, v + 1, valueEnd)) continue;
    const lt = b.lastIndexOf(LT, at);
    if (lt < 0 || b.lastIndexOf(GT, at) > lt) continue;
    tags.push([lt, valueEnd + 1]);
  }
  if (!relative || !sure) return { relative, tags: sure ? [] : undefined };
  // In order, without the ranges absolutizeLinks would skip (a second relative value in a tag).
  const kept: [number, number][] = [];
  for (const tag of tags.sort((x, y) => x[0] - y[0])) if (!kept.length || tag[0] >= kept[kept.length - 1]![1]) kept.push(tag);
  return { relative, tags: toUnits(b, n, units, kept) };
}

/** After "name=": optional spaces and quote, then a scheme and ":" (links.ts' ABSOLUTE_AT). */
function isAbsoluteAfterEquals(b: Uint8Array, v: number, n: number): boolean {
  while (v < n && isAsciiSpace(b[v]!)) v++;
  if (v < n && b[v]! >= 0x80) return false; // perhaps a space: unsure counts as relative
  if (b[v] === 34 || b[v] === 39) v++;
  return isScheme(b, v, n);
}

/** A scheme (a letter, then letters, digits, "+", ".", "-") and ":" from `from`, before `end`. */
function isScheme(b: Uint8Array, from: number, end: number): boolean {
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

/**
 * Byte offsets of valid UTF-8 → UTF-16 offsets of its text: each continuation byte is one unit
 * less, each 4-byte sequence one more. Undefined when the counts do not add up to the text's
 * length (invalid UTF-8 was replaced).
 */
function toUnits(b: Uint8Array, n: number, units: number, ranges: [number, number][]): [number, number][] | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const offsets = ranges.flat();
  const out: number[] = [];
  let delta = 0; // units - bytes before `pos`
  let pos = 0;
  for (let k = 0; k <= offsets.length; k++) {
    const p = k < offsets.length ? offsets[k]! : n;
    if (p < pos) return undefined; // overlapping ranges: not expected, not handled
    const words = p - 3;
    while (pos < words) {
      if ((view.getInt32(pos, true) & 0x80808080) === 0) {
        pos += 4;
        continue;
      }
      const c = b[pos++]!;
      delta += (c & 0xc0) === 0x80 ? -1 : c >= 0xf0 ? 1 : 0;
    }
    while (pos < p) {
      const c = b[pos++]!;
      delta += (c & 0xc0) === 0x80 ? -1 : c >= 0xf0 ? 1 : 0;
    }
    out.push(p + delta);
  }
  if (out.pop() !== units) return undefined;
  const tags: [number, number][] = [];
  for (let k = 0; k < out.length; k += 2) tags.push([out[k]!, out[k + 1]!]);
  return tags;
}

/** Marks a reference that decodes to nothing (a forbidden character). */
const NONE = 0x1fffff;

/**
 * The entity reference at `i` ("&"): (length << 21) | code point, NONE as the code point when
 * the character is one XML forbids, or -1 when it is not a reference (kept literally, as the
 * `entities` XML decoder does).
 */
function entity(b: Uint8Array, i: number, end: number): number {
  const c1 = b[i + 1];
  if (c1 === 108 /* l */ || c1 === 103 /* g */) {
    if (b[i + 2] === 116 && b[i + 3] === 59 && i + 3 < end) return (4 << 21) | (c1 === 108 ? LT : GT);
    return -1;
  }
  if (c1 === 113 /* q */) {
    if (b[i + 2] === 117 && b[i + 3] === 111 && b[i + 4] === 116 && b[i + 5] === 59 && i + 5 < end) return (6 << 21) | 34;
    return -1;
  }
  if (c1 === 97 /* a */) {
    if (b[i + 2] === 109 && b[i + 3] === 112 && b[i + 4] === 59 && i + 4 < end) return (5 << 21) | AMP;
    if (b[i + 2] === 112 && b[i + 3] === 111 && b[i + 4] === 115 && b[i + 5] === 59 && i + 5 < end) return (6 << 21) | 39;
    return -1;
  }
  if (c1 !== 35 /* # */) return -1;
  let k = i + 2;
  const hex = b[k] === 120 || b[k] === 88;
  if (hex) k++;
  const digits = k;
  let cp = 0;
  for (; k < end; k++) {
    const d = b[k]!;
    let v: number;
    if (d >= 48 && d <= 57) v = d - 48;
    else if (hex && d >= 97 && d <= 102) v = d - 87;
    else if (hex && d >= 65 && d <= 70) v = d - 55;
    else break;
    cp = Math.min(cp * (hex ? 16 : 10) + v, 0x110000);
  }
  if (k === digits || b[k] !== 59 || k >= end || k - i + 1 >= 1 << 10) return -1;
  // As the `entities` XML decoder: NUL, surrogates and values past U+10FFFF become U+FFFD.
  if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  // Then as stripXmlForbidden: C0 controls other than tab, LF, CR, and U+FFFE/U+FFFF go.
  if ((cp < 32 && cp !== 9 && cp !== 10 && cp !== 13) || cp === 0xfffe || cp === 0xffff) cp = NONE;
  return ((k - i + 1) << 21) | cp;
}

function putCodePoint(out: Uint8Array, o: number, cp: number): number {
  if (cp < 0x80) out[o++] = cp;
  else if (cp < 0x800) {
    out[o++] = 0xc0 | (cp >> 6);
    out[o++] = 0x80 | (cp & 63);
  } else if (cp < 0x10000) {
    out[o++] = 0xe0 | (cp >> 12);
    out[o++] = 0x80 | ((cp >> 6) & 63);
    out[o++] = 0x80 | (cp & 63);
  } else {
    out[o++] = 0xf0 | (cp >> 18);
    out[o++] = 0x80 | ((cp >> 12) & 63);
    out[o++] = 0x80 | ((cp >> 6) & 63);
    out[o++] = 0x80 | (cp & 63);
  }
  return o;
}

/** Bytes [start, end) as UTF-8 text. */
export function utf8Text(b: Uint8Array, start = 0, end = b.length): string {
  return utf8.decode(b.subarray(start, end));
}
