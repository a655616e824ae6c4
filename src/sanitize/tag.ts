/**
 * A start or end tag's attributes, read as HTML's tokenizer reads them, and what the policy makes
 * of them: each attribute's verdict, and the tag written again when it is not already what the
 * policy keeps. One object for the isolate (see `Pass`), reset for each issue.
 */
import { findAngle, findByte } from "../lib/bytes.js";
import { utf8Bytes, utf8Text } from "../lib/utf8.js";
import { ATTRIBUTES, type Attribute, attributeKey, attributeValue, checkValue, escapeValue, isLowerAscii, MASKS, NAME_BYTES, VALUE_OF } from "./attributes.js";
import { ANCHOR, DQUOTE, EQUALS, GT, IFRAME_HOSTS, isSpace, LT, REL_TEXT, SLASH, SQUOTE, START_NAMES, TAG_NAMES, VOID } from "./tags.js";

/** An attribute kept with its value, written again (quoted, escaped, its name lower-cased). */
const REWRITE = Symbol("rewrite");

export class TagReader {
  b: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.b.buffer);
  n = 0;
  /** The attributes read (the first `count`; the objects are reused). */
  readonly attrs: Attribute[] = [];
  count = 0;
  /** Where the tag's ">" is, and whether a "/" stands before it. */
  tagEnd = 0;
  selfClosing = false;

  reset(b: Uint8Array, view: DataView): void {
    this.b = b;
    this.view = view;
    this.n = b.length;
  }

  /** Read a tag's attributes from the end of its name, up to its ">". False when the HTML ends inside the tag. */
  read(from: number): boolean {
    const { b, n } = this;
    let k = from;
    let count = 0;
    let slash = false;
    if (b[k] !== GT) {
      for (;;) {
        while (k < n && (isSpace(b[k]!) || b[k] === SLASH)) {
          slash = b[k] === SLASH;
          k++;
        }
        if (k >= n) return false;
        if (b[k] === GT) break;
        slash = false;
        k = this.#attribute(k, count++);
        if (k < 0) return false;
      }
    }
    this.count = count;
    this.tagEnd = k;
    this.selfClosing = slash;
    return true;
  }

  /** Read the attribute at `k` (its name, and its value if it has one) as the `index`th; where reading goes on, or -1 at the end of the HTML. */
  #attribute(k: number, index: number): number {
    const { b, n } = this;
    const nameStart = k++;
    while (k < n) {
      const c = b[k]!;
      if (c === GT || c === SLASH || c === EQUALS || isSpace(c)) break;
      k++;
    }
    const nameEnd = k;
    while (k < n && isSpace(b[k]!)) k++;
    let valueStart = -1;
    let valueEnd = -1;
    let quote = 0;
    if (b[k] === EQUALS) {
      k++;
      while (k < n && isSpace(b[k]!)) k++;
      const q = b[k];
      if (q === DQUOTE || q === SQUOTE) {
        quote = q;
        valueStart = k + 1;
        valueEnd = findByte(b, this.view, q, valueStart);
        if (valueEnd < 0) return -1;
        k = valueEnd + 1;
      } else {
        valueStart = k;
        while (k < n && b[k] !== GT && !isSpace(b[k]!)) k++;
        valueEnd = k;
      }
    }
    if (index === this.attrs.length) this.attrs.push({ nameStart, nameEnd, valueStart, valueEnd, quote });
    else {
      const a = this.attrs[index]!;
      a.nameStart = nameStart;
      a.nameEnd = nameEnd;
      a.valueStart = valueStart;
      a.valueEnd = valueEnd;
      a.quote = quote;
    }
    return k;
  }

  /**
   * The start tag just read, of element `index` (of `kind`), written with only what the policy
   * keeps; undefined when it already is so (every attribute allowed, its value fine and
   * double-quoted, no "/" before the ">", the name in lower case: not `nameUpper`).
   */
  rewrite(index: number, kind: number, nameUpper: boolean): Uint8Array | undefined {
    const { b } = this;
    let same = !(this.selfClosing && !(kind & VOID)) && !nameUpper;
    for (let a = 0; same && a < this.count; a++) same = this.#verdict(a, index) === true;
    if (same) return undefined;
    let tag = utf8Text(START_NAMES[index]!);
    for (let a = 0; a < this.count; a++) {
      const verdict = this.#verdict(a, index);
      if (verdict === false) continue;
      const attr = this.attrs[a]!;
      const id = ATTRIBUTES.get(attributeKey(b, attr.nameStart, attr.nameEnd)) - 1;
      const value = typeof verdict === "string" ? verdict : attr.valueStart < 0 ? undefined : utf8Text(b, attr.valueStart, attr.valueEnd);
      tag += `${utf8Text(NAME_BYTES[id]!)}${value === undefined ? "" : `="${escapeValue(value)}"`}`;
    }
    if (kind & ANCHOR) tag += REL_TEXT;
    return utf8Bytes(`${tag}>`);
  }

  /**
   * What becomes of attribute `a` of an element `index`: true, kept as it is; REWRITE, kept but
   * written again (quoted, escaped, lower-cased); a string, its value replaced by that; false,
   * dropped (not allowed here, a repeat — HTML keeps the first —, or a value the policy refuses).
   */
  #verdict(a: number, index: number): boolean | string | typeof REWRITE {
    const { b } = this;
    const attr = this.attrs[a]!;
    const key = attr.nameEnd - attr.nameStart <= 15 ? attributeKey(b, attr.nameStart, attr.nameEnd) : 0;
    const id = key ? ATTRIBUTES.get(key) - 1 : -1;
    if (id < 0 || !(MASKS[index]! & (1 << id))) return false;
    for (let e = 0; a > 0 && e < a; e++) {
      const other = this.attrs[e]!;
      if (other.nameEnd - other.nameStart === attr.nameEnd - attr.nameStart && attributeKey(b, other.nameStart, other.nameEnd) === key) return false;
    }
    const checked = checkValue(b, this.view, VALUE_OF[id]!, attr, TAG_NAMES[index]!);
    if (checked !== true) return checked;
    if (attr.valueStart >= 0 && (attr.quote !== DQUOTE || findAngle(b, this.view, attr.valueStart, attr.valueEnd) < attr.valueEnd)) return REWRITE;
    return isLowerAscii(b, attr.nameStart, attr.nameEnd) ? true : REWRITE;
  }

  /** An iframe whose src is an https URL on an allowed host (its other attributes are checked as for any element). */
  allowedFrame(): boolean {
    for (let a = 0; a < this.count; a++) {
      const attr = this.attrs[a]!;
      if (attr.nameEnd - attr.nameStart !== 3 || (b3(this.b, attr.nameStart) | 0x202020) !== 0x737263 /* "src" */ || attr.valueStart < 0) continue;
      const src = attributeValue(this.b, attr);
      try {
        const url = new URL(src);
        return url.protocol === "https:" && IFRAME_HOSTS.has(url.hostname);
      } catch {
        return false;
      }
    }
    return false;
  }
}

/** Past the end tag of a raw-text element named b[nameStart, nameEnd) whose content starts at `from`; the end if none. */
export function rawTextEnd(b: Uint8Array, view: DataView, nameStart: number, nameEnd: number, from: number): number {
  const length = nameEnd - nameStart;
  for (let k = b.indexOf(LT, from); k >= 0; k = b.indexOf(LT, k + 1)) {
    if (b[k + 1] !== SLASH) continue;
    let m = 0;
    while (m < length && (b[k + 2 + m]! | 32) === (b[nameStart + m]! | 32)) m++;
    const c = b[k + 2 + m];
    if (m === length && (c === GT || c === SLASH || (c !== undefined && isSpace(c)))) {
      const gt = findByte(b, view, GT, k + 2 + m);
      return gt < 0 ? b.length : gt + 1;
    }
  }
  return b.length;
}

function b3(b: Uint8Array, at: number): number {
  return (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
}
