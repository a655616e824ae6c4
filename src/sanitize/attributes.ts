/**
 * What each allowed attribute may hold (src/sanitize/policy.ts), checked on its bytes as the
 * tokenizer found them: attribute names as keys and bits of an element's mask, and the checks of
 * each kind of value (URLs, class lists, ids, styles, numbers).
 */
import { decodeHTMLAttribute } from "entities";
import { KeyTable, keyOfBytes } from "../lib/tags.js";
import { utf8Bytes, utf8Text } from "../lib/utf8.js";
import * as policy from "./policy.js";

/** One attribute as the tokenizer read it: name and value ranges (value -1 when it has none). */
export interface Attribute {
  nameStart: number;
  nameEnd: number;
  valueStart: number;
  valueEnd: number;
  quote: number;
}

// Attributes: an index each (a bit in an element's mask) and how its value is checked.
const Value = { Text: 0, Number: 1, Flag: 2, ClassList: 3, Id: 4, Style: 5, Link: 6, Media: 7, SrcSet: 8 } as const;
type Value = (typeof Value)[keyof typeof Value];
const ATTRIBUTE_VALUES: Record<string, Value> = {
  class: Value.ClassList,
  id: Value.Id,
  style: Value.Style,
  href: Value.Link,
  cite: Value.Link,
  src: Value.Media,
  poster: Value.Media,
  srcset: Value.SrcSet,
  width: Value.Number,
  height: Value.Number,
  span: Value.Number,
  colspan: Value.Number,
  rowspan: Value.Number,
  start: Value.Number,
  value: Value.Number,
  controls: Value.Flag,
  open: Value.Flag,
  reversed: Value.Flag,
  allowfullscreen: Value.Flag,
};
const ATTRIBUTE_NAMES = [...new Set([...policy.GLOBAL_ATTRIBUTES, ...Object.values(policy.ALLOWED).flat()])];
if (ATTRIBUTE_NAMES.length > 31) throw new Error("sanitize: more attributes than an element's mask holds");
export const ATTRIBUTES = new KeyTable(8);
ATTRIBUTE_NAMES.forEach((name, k) => ATTRIBUTES.add(name, k + 1));
export const VALUE_OF = ATTRIBUTE_NAMES.map((name) => ATTRIBUTE_VALUES[name] ?? Value.Text);
export const NAME_BYTES = ATTRIBUTE_NAMES.map((name) => utf8Bytes(` ${name}`));
const bit = (name: string) => 1 << ATTRIBUTE_NAMES.indexOf(name);
const GLOBAL_MASK = policy.GLOBAL_ATTRIBUTES.reduce((m, a) => m | bit(a), 0);
/** By element, in the order of policy.ALLOWED: the attributes it may have, as bits. */
export const MASKS = Object.keys(policy.ALLOWED).map((name) => policy.ALLOWED[name]!.reduce((m, a) => m | bit(a), GLOBAL_MASK));

const LINK_SCHEMES = new Set<string>(policy.LINK_SCHEMES);
const MEDIA_SCHEMES = new Set<string>(policy.MEDIA_SCHEMES);
const DATA_IMAGE = new RegExp(`^data:image/(?:${policy.DATA_IMAGE_TYPES.join("|")})[;,]`, "i");

/** An attribute name's key, lower case ASCII letters and "-" only (else 0: no allowed name). */
export function attributeKey(b: Uint8Array, start: number, end: number): number {
  for (let k = start; k < end; k++) {
    const c = b[k]! | 32;
    if (!((c >= 97 && c <= 122) || b[k] === 45)) return 0;
  }
  return keyOfBytes(b, start, end);
}

export function isLowerAscii(b: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (b[k]! >= 65 && b[k]! <= 90) return false;
  return true;
}

/** An attribute's value as a browser reads it: character references decoded. */
export function attributeValue(b: Uint8Array, attr: Attribute): string {
  const raw = utf8Text(b, attr.valueStart, attr.valueEnd);
  return raw.includes("&") ? decodeHTMLAttribute(raw) : raw;
}

/** A value for a double-quoted attribute (its character references left as they are). */
export function escapeValue(value: string): string {
  return /["<>]/.test(value) ? value.replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : value;
}

/**
 * Whether an attribute's value may stay: true as it is, a string to write instead (a class list
 * or a style with what is not allowed taken out), false to drop the attribute.
 */
export function checkValue(b: Uint8Array, view: DataView, kind: Value, attr: Attribute, tag: string): boolean | string {
  if (kind === Value.Flag) return true;
  if (attr.valueStart >= attr.valueEnd) return false; // no value, or an empty one: nothing to keep
  switch (kind) {
    case Value.Text:
      return true;
    case Value.Number:
      return isNumber(b, attr.valueStart, attr.valueEnd);
    case Value.Link:
      return schemeAllowed(b, view, attr, LINK_SCHEMES, false);
    case Value.Media:
      return schemeAllowed(b, view, attr, MEDIA_SCHEMES, tag === "img");
    case Value.SrcSet:
      return srcsetAllowed(attributeValue(b, attr));
    case Value.ClassList:
      return classList(b, attr);
    case Value.Id: {
      const id = attributeValue(b, attr);
      return id.length > 0 && id.length <= policy.MAX_NAME_CHARS && /^[A-Za-z0-9_:.\-]+$/.test(id);
    }
    case Value.Style:
      return style(attributeValue(b, attr));
  }
}

function isNumber(b: Uint8Array, start: number, end: number): boolean {
  if (start >= end || end - start > 8) return false;
  for (let k = start; k < end; k++) {
    const c = b[k]!;
    if (!((c >= 48 && c <= 57) || (c === 37 /* % */ && k === end - 1 && k > start))) return false;
  }
  return true;
}

/**
 * Whether a URL's scheme is allowed (or it has none: a relative URL), read as a browser reads it:
 * leading spaces and controls skipped, tabs and line breaks ignored, references decoded.
 */
function schemeAllowed(b: Uint8Array, view: DataView, attr: Attribute, schemes: Set<string>, dataImage: boolean): boolean {
  let k = attr.valueStart;
  const end = attr.valueEnd;
  while (k < end && b[k]! <= 32) k++;
  // Fast path: plain "http:" or "https:".
  if (k + 6 <= end && (view.getUint32(k) | 0x20202020) === 0x68747470 /* http */) {
    const c = b[k + 4]!;
    if (c === 58 || ((c | 32) === 115 && b[k + 5] === 58)) return schemes.has("http");
  }
  let scheme = "";
  for (; k < end; k++) {
    const c = b[k]!;
    if (c === 9 || c === 10 || c === 13) continue;
    if (c === 58) break;
    if (c === 38 /* & */) return schemeOfDecoded(attributeValue(b, attr), schemes, dataImage);
    const l = c | 32;
    const isScheme = (l >= 97 && l <= 122) || (scheme.length > 0 && ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46));
    if (!isScheme) return true; // no scheme: relative
    scheme += String.fromCharCode(l);
  }
  if (k >= end) return true; // no ":": relative
  if (scheme === "data") return dataImage && DATA_IMAGE.test(attributeValue(b, attr).replace(/^[\u0000-\u0020]+|[\t\n\r]/g, ""));
  return schemes.has(scheme);
}

/** `schemeAllowed` on a decoded value. */
function schemeOfDecoded(value: string, schemes: Set<string>, dataImage: boolean): boolean {
  const url = value.replace(/^[\u0000-\u0020]+/, "").replace(/[\t\n\r]/g, "");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.\-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return true;
  if (scheme === "data") return dataImage && DATA_IMAGE.test(url);
  return schemes.has(scheme);
}

/** Every candidate URL of a srcset of an allowed media scheme (or relative). */
function srcsetAllowed(value: string): boolean {
  // Stricter than a browser's reading: no script or data scheme anywhere in it.
  if (/(?:javascript|vbscript|data):/i.test(value.replace(/[\t\n\r]/g, ""))) return false;
  return value.split(",").every((candidate) => schemeOfDecoded(candidate.trim().split(/\s+/)[0] ?? "", MEDIA_SCHEMES, false));
}

/** A class list with only plain names (letters, digits, "-", "_"): true as it is, the names kept, or false for none. */
function classList(b: Uint8Array, attr: Attribute): boolean | string {
  let plain = true;
  for (let k = attr.valueStart; k < attr.valueEnd; k++) {
    const c = b[k]!;
    const l = c | 32;
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 32)) {
      plain = false;
      break;
    }
  }
  if (plain && attr.valueEnd - attr.valueStart <= policy.MAX_NAME_CHARS * 4) return attr.valueEnd > attr.valueStart;
  const names = attributeValue(b, attr)
    .split(/[\t\n\f\r ]+/)
    .filter((c) => c.length > 0 && c.length <= policy.MAX_NAME_CHARS && /^[A-Za-z0-9_-]+$/.test(c))
    .slice(0, 16);
  return names.length ? names.join(" ") : false;
}

const IMPORTANT = /\s*!\s*important$/;

/** A style with only the allowed declarations (policy.STYLES), or false when none is. */
function style(value: string): boolean | string {
  const kept: string[] = [];
  for (const declaration of value.split(";")) {
    const colon = declaration.indexOf(":");
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    // (Email templates mark most declarations `!important`: the value is kept, the mark is not.)
    const v = declaration.slice(colon + 1).trim().toLowerCase().replace(IMPORTANT, "");
    if (policy.STYLES[property]?.test(v)) kept.push(`${property}:${v}`);
  }
  return kept.length ? kept.join(";") : false;
}
