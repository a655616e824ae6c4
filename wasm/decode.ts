// The WebAssembly build of the byte routines (`ByteReader`, src/parse/bytes.ts) in AssemblyScript:
// the XML text decoder, the byte search and the entry hash's lanes, compiled to
// src/parse/decode.wasm by `npm run build:wasm`. It imports its memory: src/parse/wasm.ts sizes
// it, copies a feed in and reads the results out. SIMD: sixteen bytes a step or more where the
// JavaScript build goes four or eight; the same results, byte for byte: both builds run the spec
// of test/parse/routines.case.ts. The constants and the memory layout both builds use are named
// in src/lib/byte-constants.ts, which this file imports.
//
// decode(src, end, out, lt, eq, wide): the text of XML element content at [src, end) of linear
// memory (bytes up to LOOK_AHEAD past `end` may be read, as they lie in the feed), decoded into
// `out` (room for end - src + LOOK_AHEAD bytes): CDATA sections literally, entity references (the
// five XML ones and numeric references) decoded, the characters XML 1.0 forbids dropped. Where
// each "<" and "=" lands is noted at `lt` and `eq` (u32 offsets into the output), each multi-byte
// character at `wide` (u32 pairs: offset, UTF-16 units fewer than bytes). Returns the output's
// length, the note counts in memory at COUNT_LT, COUNT_EQ and COUNT_WIDE; -1 when the bytes are
// not valid UTF-8 (the host decodes them in JavaScript).

import { AMP, APOS, COUNT_EQ, COUNT_LT, COUNT_WIDE, EQ, GT, LANES_AT, LT, MAX_REFERENCE, MUL_0, MUL_1, MUL_2, MUL_3, MUL_4, MUL_5, MUL_6, MUL_7, NONE, QUOT, SEED_0, SEED_1, SEED_2, SEED_3, SEED_4, SEED_5, SEED_6, SEED_7, W_AMP, W_GT, W_LT, W_QUO } from "../src/lib/byte-constants";

let nl: u32 = 0;
let ne: u32 = 0;
let nw: u32 = 0;
/** Where the input goes on after `reference` and `cdata`, which return where the output does. */
let next: usize = 0;

export function decode(src: usize, end: usize, out: usize, lt: usize, eq: usize, wide: usize): i32 {
  nl = 0;
  ne = 0;
  nw = 0;
  let i = src;
  let o = out;
  while (i < end) {
    if (i + 16 <= end) {
      const clean = cleanRun(i, o);
      i += clean;
      o += clean;
      if (clean == 16) continue;
    }
    const c = load<u8>(i);
    if (c == AMP) {
      const w: u32 = i + 4 <= end ? load<u32>(i) : 0;
      if (w == W_LT) {
        note(lt, nl++, o - out);
        store<u8>(o++, LT);
        i += 4;
      } else if (w == W_GT) {
        store<u8>(o++, GT);
        i += 4;
      } else if (w == W_QUO && load<u8>(i + 4) == 116 && load<u8>(i + 5) == 59 && i + 5 < end) {
        store<u8>(o++, QUOT);
        i += 6;
      } else if (w == W_AMP && load<u8>(i + 4) == 59 && i + 4 < end) {
        store<u8>(o++, AMP);
        i += 5;
      } else {
        o = reference(i, end, o, out, lt, eq, wide);
        i = next;
      }
    } else if (c >= 0x80) {
      const n = sequenceLength(i, end);
      if (n == 0) return -1;
      o = copySequence(i, n, o, out, wide);
      i += n;
    } else if (c == LT && isCdata(i)) {
      o = cdata(i, end, o, out, lt, eq, wide);
      if (o == 0) return -1;
      i = next;
    } else if (c < 32 && c != 9 && c != 10 && c != 13) {
      i++; // a forbidden control character
    } else {
      if (c == LT) note(lt, nl++, o - out);
      else if (c == EQ) note(eq, ne++, o - out);
      store<u8>(o++, c);
      i++;
    }
  }
  store<u32>(COUNT_LT, nl);
  store<u32>(COUNT_EQ, ne);
  store<u32>(COUNT_WIDE, nw);
  return <i32>(o - out);
}

// lanes(src, end): the eight 32-bit lanes of the entry hash (src/lib/hash.ts `hashLanes`: the
// same start values and multipliers) over the whole 32-byte blocks of [src, end), stored at LANES_AT
// (lanes 0-3: the first sixteen bytes of each block, 4-7: the next sixteen).
export function lanes(src: usize, end: usize): void {
  let a = i32x4(SEED_0, SEED_1, SEED_2, SEED_3);
  let b = i32x4(SEED_4, SEED_5, SEED_6, SEED_7);
  const ma = i32x4(MUL_0, MUL_1, MUL_2, MUL_3);
  const mb = i32x4(MUL_4, MUL_5, MUL_6, MUL_7);
  for (let i = src; i + 32 <= end; i += 32) {
    a = i32x4.mul(v128.xor(a, v128.load(i)), ma);
    b = i32x4.mul(v128.xor(b, v128.load(i, 16)), mb);
  }
  v128.store(LANES_AT, a);
  v128.store(LANES_AT + 16, b);
}

// find(src, end, c): where the first byte `c` of [src, end) is, or `end`: sixty-four bytes a step.
export function find(src: usize, end: usize, c: u8): usize {
  const p = i8x16.splat(c);
  let i = src;
  for (; i + 64 <= end; i += 64) {
    const m = v128.or(v128.or(i8x16.eq(v128.load(i), p), i8x16.eq(v128.load(i, 16), p)), v128.or(i8x16.eq(v128.load(i, 32), p), i8x16.eq(v128.load(i, 48), p)));
    if (v128.any_true(m)) break;
  }
  for (; i < end; i++) if (load<u8>(i) == c) return i;
  return end;
}

/**
 * The sixteen bytes at `i`, written to `o`: how many of them, from the first, need no look — no
 * "&", "<" or "=", none below 0x20 or from 0x80 (both below 0x20 as signed bytes); 16 for all.
 */
// @ts-ignore: decorator
@inline function cleanRun(i: usize, o: usize): usize {
  const v = v128.load(i);
  const flagged = v128.or(v128.or(i8x16.eq(v, i8x16.splat(0x26)), i8x16.eq(v, i8x16.splat(0x3c))), v128.or(i8x16.eq(v, i8x16.splat(0x3d)), i8x16.lt_s(v, i8x16.splat(0x20))));
  v128.store(o, v);
  const bits = i8x16.bitmask(flagged);
  return bits == 0 ? 16 : <usize>ctz(bits);
}

/** A reference at `i` ("&") other than the four the loop reads itself: decoded to `o`, or the "&" copied. */
function reference(i: usize, end: usize, o: usize, out: usize, lt: usize, eq: usize, wide: usize): usize {
  const r = entity(i, end);
  if (r < 0) {
    store<u8>(o, AMP);
    next = i + 1;
    return o + 1;
  }
  const cp = r & NONE;
  next = i + <usize>(r >>> 21);
  if (cp == <i32>LT) note(lt, nl++, o - out);
  else if (cp == <i32>EQ) note(eq, ne++, o - out);
  else if (cp >= 0x80 && cp != NONE) {
    note(wide, nw++, o - out);
    note(wide, nw++, cp < 0x800 ? 1 : 2);
  }
  return cp == NONE ? o : putCodePoint(o, cp);
}

/** The CDATA section at `i` ("<![CDATA["): its content copied to `o` up to "]]>", without forbidden characters; 0 when it is not valid UTF-8. */
function cdata(i: usize, end: usize, o: usize, out: usize, lt: usize, eq: usize, wide: usize): usize {
  i += 9;
  const close = cdataEnd(i, end);
  const stop = close == 0 ? end : close;
  while (i < stop) {
    const d = load<u8>(i);
    if (d >= 0x80) {
      const n = sequenceLength(i, stop);
      if (n == 0) return 0;
      o = copySequence(i, n, o, out, wide);
      i += n;
    } else {
      if (d == LT) note(lt, nl++, o - out);
      else if (d == EQ) note(eq, ne++, o - out);
      if (d >= 32 || d == 9 || d == 10 || d == 13) store<u8>(o++, d);
      i++;
    }
  }
  next = close == 0 ? end : close + 3;
  return o;
}

// @ts-ignore: decorator
@inline function note(at: usize, n: u32, v: usize): void {
  store<u32>(at + (<usize>n << 2), <u32>v);
}

function isCdata(i: usize): bool {
  // "<![CDATA["
  return load<u8>(i + 1) == 33 && load<u8>(i + 2) == 91 && load<u8>(i + 3) == 67 && load<u8>(i + 4) == 68 && load<u8>(i + 5) == 65 && load<u8>(i + 6) == 84 && load<u8>(i + 7) == 65 && load<u8>(i + 8) == 91;
}

/** Where the "]]>" closing a CDATA section whose content starts at `from` is; 0 if none before `end`. */
function cdataEnd(from: usize, end: usize): usize {
  for (let k = from; k + 2 < end; k++) if (load<u8>(k) == 93 && load<u8>(k + 1) == 93 && load<u8>(k + 2) == GT) return k;
  return 0;
}

/**
 * Copy the valid n-byte sequence at `i` to `o`, noted at `wide`; U+FFFE and U+FFFF are dropped.
 * Returns where the output goes on.
 */
function copySequence(i: usize, n: usize, o: usize, out: usize, wide: usize): usize {
  if (n == 3 && load<u8>(i) == 0xef && load<u8>(i + 1) == 0xbf && load<u8>(i + 2) >= 0xbe) return o;
  note(wide, nw++, o - out);
  note(wide, nw++, n == 2 ? 1 : 2);
  for (let k: usize = 0; k < n; k++) store<u8>(o + k, load<u8>(i + k));
  return o + n;
}

/** Length of the valid UTF-8 sequence at `i` (a byte from 0x80) before `end`; 0 when it is not one. */
function sequenceLength(i: usize, end: usize): usize {
  const c = load<u8>(i);
  const c1 = load<u8>(i + 1);
  if (c < 0xc2 || c > 0xf4 || i + 1 >= end || (c1 & 0xc0) != 0x80) return 0;
  if (c < 0xe0) return 2;
  const c2 = load<u8>(i + 2);
  if (i + 2 >= end || (c2 & 0xc0) != 0x80) return 0;
  if (c < 0xf0) return (c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) ? 0 : 3;
  if (i + 3 >= end || (load<u8>(i + 3) & 0xc0) != 0x80) return 0;
  return (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f) ? 0 : 4;
}

/** The reference at `i` ("&"): (length << 21) | code point (NONE: forbidden), or -1 when it is none. */
function entity(i: usize, end: usize): i32 {
  const c1 = load<u8>(i + 1);
  if (c1 == 108 || c1 == 103) {
    if (load<u8>(i + 2) == 116 && load<u8>(i + 3) == 59 && i + 3 < end) return (4 << 21) | (c1 == 108 ? <i32>LT : <i32>GT);
    return -1;
  }
  if (c1 == 113) {
    if (load<u8>(i + 2) == 117 && load<u8>(i + 3) == 111 && load<u8>(i + 4) == 116 && load<u8>(i + 5) == 59 && i + 5 < end) return (6 << 21) | <i32>QUOT;
    return -1;
  }
  if (c1 == 97) {
    if (load<u8>(i + 2) == 109 && load<u8>(i + 3) == 112 && load<u8>(i + 4) == 59 && i + 4 < end) return (5 << 21) | <i32>AMP;
    if (load<u8>(i + 2) == 112 && load<u8>(i + 3) == 111 && load<u8>(i + 4) == 115 && load<u8>(i + 5) == 59 && i + 5 < end) return (6 << 21) | <i32>APOS;
    return -1;
  }
  if (c1 != 35) return -1;
  let k = i + 2;
  const hex = load<u8>(k) == 120 || load<u8>(k) == 88;
  if (hex) k++;
  const digits = k;
  let cp: i32 = 0;
  for (; k < end; k++) {
    const d = <i32>load<u8>(k);
    let v: i32 = 0;
    if (d >= 48 && d <= 57) v = d - 48;
    else if (hex && d >= 97 && d <= 102) v = d - 87;
    else if (hex && d >= 65 && d <= 70) v = d - 55;
    else break;
    cp = min(cp * (hex ? 16 : 10) + v, 0x110000);
  }
  if (k == digits || load<u8>(k) != 59 || k >= end || k - i + 1 >= <usize>MAX_REFERENCE) return -1;
  if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  if ((cp < 32 && cp != 9 && cp != 10 && cp != 13) || cp == 0xfffe || cp == 0xffff) cp = NONE;
  return (<i32>(k - i + 1) << 21) | cp;
}

function putCodePoint(o: usize, cp: i32): usize {
  if (cp < 0x80) store<u8>(o++, <u8>cp);
  else if (cp < 0x800) {
    store<u8>(o++, <u8>(0xc0 | (cp >> 6)));
    store<u8>(o++, <u8>(0x80 | (cp & 63)));
  } else if (cp < 0x10000) {
    store<u8>(o++, <u8>(0xe0 | (cp >> 12)));
    store<u8>(o++, <u8>(0x80 | ((cp >> 6) & 63)));
    store<u8>(o++, <u8>(0x80 | (cp & 63)));
  } else {
    store<u8>(o++, <u8>(0xf0 | (cp >> 18)));
    store<u8>(o++, <u8>(0x80 | ((cp >> 12) & 63)));
    store<u8>(o++, <u8>(0x80 | ((cp >> 6) & 63)));
    store<u8>(o++, <u8>(0x80 | (cp & 63)));
  }
  return o;
}
