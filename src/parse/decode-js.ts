/**
 * The XML text decoder in JavaScript (`ByteReader.decode`, four bytes a step); wasm/decode.ts is
 * the same decoder in WebAssembly. Both follow the spec in test/parse/routines.case.ts.
 */
import { viewOf } from "../lib/bytes.js";
import { utf8Bytes, utf8Text } from "../lib/utf8.js";
import { AMP, APOS, EQ, GT, LT, MAX_REFERENCE, NONE, QUOT, W_AMP, W_GT, W_LT, W_QUO } from "../lib/byte-constants.js";
import { DecodedBody } from "./decoded.js";

/** A list of offsets that grows by doubling; kept from body to body (`Output`). */
class Notes {
  a = new Int32Array(1024);
  n = 0;

  push(v: number): void {
    if (this.n === this.a.length) this.grow();
    this.a[this.n++] = v;
  }

  grow(): void {
    const bigger = new Int32Array(this.a.length * 2);
    bigger.set(this.a);
    this.a = bigger;
  }

  take(): Int32Array {
    return this.a.slice(0, this.n);
  }
}

/** What the decoder writes: the output bytes and the three notes, reused from body to body. */
class Output {
  bytes = new Uint8Array(0);
  view = viewOf(this.bytes);
  /** How many bytes are written. */
  o = 0;
  lt = new Notes();
  eq = new Notes();
  /** Pairs: offset, UTF-16 units fewer than bytes (`Utf8Html.wide`). */
  wide = new Notes();
  /** False once a byte sequence is not valid UTF-8: then TextDecoder says how the output reads. */
  valid = true;

  /** Ready for a body of `length` bytes: the output is never longer than its input. */
  reset(length: number): this {
    if (this.bytes.length < length + 4) {
      this.bytes = new Uint8Array(Math.max(length + 4, this.bytes.length * 2));
      this.view = viewOf(this.bytes);
    }
    this.o = this.lt.n = this.eq.n = this.wide.n = 0;
    this.valid = true;
    return this;
  }

  put(c: number): void {
    if (c === LT) this.lt.push(this.o);
    else if (c === EQ) this.eq.push(this.o);
    this.bytes[this.o++] = c;
  }

  result(): DecodedBody {
    const decoded = this.valid
      ? new DecodedBody({ bytes: this.bytes.slice(0, this.o), lt: this.lt.take(), wide: this.wide.take() }, this.eq.a.subarray(0, this.eq.n))
      : new DecodedBody({ bytes: utf8Bytes(utf8Text(this.bytes, 0, this.o)) });
    this.release();
    return decoded;
  }

  /** Buffers that grew past KEEP_BYTES are let go rather than kept for the next body. */
  release(): void {
    if (this.bytes.length > KEEP_BYTES) this.bytes = new Uint8Array(0);
    for (const notes of [this.lt, this.eq, this.wide]) if (notes.a.length > KEEP_BYTES / 4) notes.a = new Int32Array(1024);
  }
}

const KEEP_BYTES = 4 << 20;
/** One body is decoded at a time (the decoder never awaits). */
const output = new Output();

/**
 * The text of XML element content b[start, end) as UTF-8 bytes: CDATA sections literally, entity
 * references (the five XML ones and numeric ones) decoded, the characters XML 1.0 forbids
 * dropped, invalid UTF-8 made U+FFFD; with the offset of every "<" and "=" and of every
 * multi-byte character of the output noted.
 */
export function decodeJs(b: Uint8Array, start: number, end: number): DecodedBody {
  const out = output.reset(end - start);
  const view = viewOf(b);
  let i = start;
  while (i < end) {
    i = copyPlain(view, i, end, out);
    if (i >= end) break;
    const c = b[i]!;
    if (c === AMP) i = reference(b, view, i, end, out);
    else if (c >= 0x80) i = sequence(b, i, end, out);
    else if (c === LT && isCdata(b, i)) i = cdata(b, i + 9, end, out);
    else {
      if (c >= 32 || c === 9 || c === 10 || c === 13) out.put(c); // else a control character XML forbids
      i++;
    }
  }
  return out.result();
}

/**
 * Copy four bytes at a time while none of them needs a look: no byte below 0x20 (tab and newline
 * included), none from 0x80, no "&", "<" or "=". Returns where the first byte that does is (or
 * where fewer than four are left); the output has the bytes before it.
 */
function copyPlain(view: DataView, i: number, end: number, out: Output): number {
  const to = out.view;
  let o = out.o;
  for (const last = end - 4; i <= last; i += 4, o += 4) {
    const w = view.getInt32(i, true);
    const a = w ^ 0x26262626; // "&" → 0
    const l = w ^ 0x3c3c3c3c; // "<" → 0, "=" → 1
    // Bytes below 0x20 or from 0x80, zero bytes of `a`, bytes of `l` below 2 (the lowest
    // flagged byte is always a true one: a borrow only reaches the bytes above it).
    const flags = (((w - 0x20202020) & ~w) | w | ((a - 0x01010101) & ~a) | ((l - 0x02020202) & ~l)) & 0x80808080;
    to.setInt32(o, w, true); // written anyway; the bytes from the flagged one are written again
    if (flags !== 0) {
      const clean = (31 - Math.clz32(flags & -flags)) >>> 3; // bytes before the lowest flagged one
      out.o = o + clean;
      return i + clean;
    }
  }
  out.o = o;
  return i;
}

/** The "&" at `i`: a reference decoded (most often the "&lt;" or "&gt;" of escaped HTML), or kept. Returns where reading goes on. */
function reference(b: Uint8Array, view: DataView, i: number, end: number, out: Output): number {
  const w = i + 4 <= end ? view.getInt32(i, true) : 0;
  if (w === W_LT || w === W_GT) {
    out.put(w === W_LT ? LT : GT);
    return i + 4;
  }
  if (w === W_QUO && b[i + 4] === 116 && b[i + 5] === 59 && i + 5 < end) {
    out.put(QUOT);
    return i + 6;
  }
  if (w === W_AMP && b[i + 4] === 59 && i + 4 < end) {
    out.put(AMP);
    return i + 5;
  }
  const r = entity(b, i, end);
  if (r < 0) {
    out.put(AMP);
    return i + 1;
  }
  const cp = r & NONE;
  if (cp !== NONE) putCodePoint(out, cp);
  return i + (r >>> 21);
}

/** The byte from 0x80 at `i`: its UTF-8 sequence copied (or dropped: U+FFFE, U+FFFF), or marked invalid. */
function sequence(b: Uint8Array, i: number, stop: number, out: Output): number {
  const length = sequenceLength(b, i, stop);
  if (length === 0) {
    out.valid = false;
    out.bytes[out.o++] = b[i]!;
    return i + 1;
  }
  if (length === 3 && b[i] === 0xef && b[i + 1] === 0xbf && b[i + 2]! >= 0xbe) return i + 3;
  out.wide.push(out.o);
  out.wide.push(length === 2 ? 1 : 2);
  for (let k = 0; k < length; k++) out.bytes[out.o++] = b[i + k]!;
  return i + length;
}

/** "<![CDATA[" at `i`. */
function isCdata(b: Uint8Array, i: number): boolean {
  return b[i + 1] === 33 && b[i + 2] === 91 && b[i + 3] === 67 && b[i + 4] === 68 && b[i + 5] === 65 && b[i + 6] === 84 && b[i + 7] === 65 && b[i + 8] === 91;
}

/** A CDATA section's content from `i`: literal up to "]]>" (or the end), still without forbidden characters. */
function cdata(b: Uint8Array, i: number, end: number, out: Output): number {
  const close = cdataEnd(b, i, end);
  const stop = close < 0 ? end : close;
  while (i < stop) {
    const d = b[i]!;
    if (d >= 0x80) i = sequence(b, i, stop, out);
    else {
      if (d >= 32 || d === 9 || d === 10 || d === 13) out.put(d);
      i++;
    }
  }
  return close < 0 ? end : close + 3;
}

/** Index of the "]]>" that closes a CDATA section whose content starts at `from`; -1 if none before `end`. */
function cdataEnd(b: Uint8Array, from: number, end: number): number {
  for (let i = b.indexOf(93, from); i >= 0 && i + 2 < end; i = b.indexOf(93, i + 1)) {
    if (b[i + 1] === 93 && b[i + 2] === GT) return i;
  }
  return -1;
}

/**
 * Length of the valid UTF-8 sequence at `i` (a byte from 0x80), before `end`; 0 when it is not
 * one (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, cut short).
 */
function sequenceLength(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  const c1 = b[i + 1]!;
  if (c < 0xc2 || c > 0xf4 || i + 1 >= end || (c1 & 0xc0) !== 0x80) return 0;
  if (c < 0xe0) return 2;
  const c2 = b[i + 2]!;
  if (i + 2 >= end || (c2 & 0xc0) !== 0x80) return 0;
  if (c < 0xf0) return (c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f) ? 0 : 3;
  if (i + 3 >= end || (b[i + 3]! & 0xc0) !== 0x80) return 0;
  return (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f) ? 0 : 4;
}

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
    if (b[i + 2] === 117 && b[i + 3] === 111 && b[i + 4] === 116 && b[i + 5] === 59 && i + 5 < end) return (6 << 21) | QUOT;
    return -1;
  }
  if (c1 === 97 /* a */) {
    if (b[i + 2] === 109 && b[i + 3] === 112 && b[i + 4] === 59 && i + 4 < end) return (5 << 21) | AMP;
    if (b[i + 2] === 112 && b[i + 3] === 111 && b[i + 4] === 115 && b[i + 5] === 59 && i + 5 < end) return (6 << 21) | APOS;
    return -1;
  }
  return c1 === 35 /* # */ ? numericReference(b, i, end) : -1;
}

/** `entity` for "&#…;" and "&#x…;". */
function numericReference(b: Uint8Array, i: number, end: number): number {
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
  if (k === digits || b[k] !== 59 || k >= end || k - i + 1 >= MAX_REFERENCE) return -1;
  // As the `entities` XML decoder: NUL, surrogates and values past U+10FFFF become U+FFFD.
  if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  // Then as stripXmlForbidden: C0 controls other than tab, LF, CR, and U+FFFE/U+FFFF go.
  if ((cp < 32 && cp !== 9 && cp !== 10 && cp !== 13) || cp === 0xfffe || cp === 0xffff) cp = NONE;
  return ((k - i + 1) << 21) | cp;
}

/** A decoded code point written as UTF-8, and noted ("<", "=", a multi-byte character). */
function putCodePoint(out: Output, cp: number): void {
  if (cp < 0x80) return out.put(cp);
  out.wide.push(out.o);
  out.wide.push(cp < 0x800 ? 1 : 2);
  const b = out.bytes;
  let o = out.o;
  if (cp < 0x800) b[o++] = 0xc0 | (cp >> 6);
  else {
    if (cp < 0x10000) b[o++] = 0xe0 | (cp >> 12);
    else {
      b[o++] = 0xf0 | (cp >> 18);
      b[o++] = 0x80 | ((cp >> 12) & 63);
    }
    b[o++] = 0x80 | ((cp >> 6) & 63);
  }
  b[o++] = 0x80 | (cp & 63);
  out.o = o;
}
