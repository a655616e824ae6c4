import { MUL_0, MUL_1, MUL_2, MUL_3, MUL_4, MUL_5, MUL_6, MUL_7, SEED_0, SEED_1, SEED_2, SEED_3, SEED_4, SEED_5, SEED_6, SEED_7 } from "./byte-constants.js";

/**
 * cyrb53: a fast, well-distributed 53-bit string hash. Synchronous (unlike crypto.subtle), so the
 * core can derive stable ids and content hashes anywhere. Not for security.
 */
export function hash53(str: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The hash of bytes [start, end): an upstream entry's source, read straight from the response
 * bytes. Depends on the bytes only, not on where they lie. The bytes go into eight 32-bit lanes,
 * thirty-two bytes a step (`hashLanes`: each lane takes every eighth four-byte word from the
 * range's start, so the lanes are independent, and the WebAssembly build computes four of them
 * an instruction); what is left and the lanes are then mixed as cyrb53 mixes characters
 * (`finishHash`). A change to any one of those words changes its lane for certain.
 */
export function hashBytes(b: Uint8Array, start = 0, end = b.length): string {
  const lanes = new Int32Array(8);
  hashLanes(b, start, end, lanes);
  return finishHash(lanes, b, start, end);
}

/**
 * The eight lanes of `hashBytes` over the whole 32-byte blocks of [start, end), into `out`. Each
 * lane has a start value and an odd multiplier of its own (each step is a bijection of the lane),
 * which wasm/decode.ts `lanes` shares (lib/byte-constants.ts).
 */
function hashLanes(b: Uint8Array, start: number, end: number, out: Int32Array): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // Constants as int32 locals: bundled, an imported constant is a module variable, loaded (and,
  // past 2^31, converted from a double) at every use.
  const m0 = MUL_0 | 0, m1 = MUL_1 | 0, m2 = MUL_2 | 0, m3 = MUL_3 | 0, m4 = MUL_4 | 0, m5 = MUL_5 | 0, m6 = MUL_6 | 0, m7 = MUL_7 | 0;
  let a0 = SEED_0 | 0;
  let a1 = SEED_1 | 0;
  let a2 = SEED_2 | 0;
  let a3 = SEED_3 | 0;
  let a4 = SEED_4 | 0;
  let a5 = SEED_5 | 0;
  let a6 = SEED_6 | 0;
  let a7 = SEED_7 | 0;
  for (let i = start, last = end - 32; i <= last; i += 32) {
    a0 = Math.imul(a0 ^ view.getInt32(i, true), m0);
    a1 = Math.imul(a1 ^ view.getInt32(i + 4, true), m1);
    a2 = Math.imul(a2 ^ view.getInt32(i + 8, true), m2);
    a3 = Math.imul(a3 ^ view.getInt32(i + 12, true), m3);
    a4 = Math.imul(a4 ^ view.getInt32(i + 16, true), m4);
    a5 = Math.imul(a5 ^ view.getInt32(i + 20, true), m5);
    a6 = Math.imul(a6 ^ view.getInt32(i + 24, true), m6);
    a7 = Math.imul(a7 ^ view.getInt32(i + 28, true), m7);
  }
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  out[3] = a3;
  out[4] = a4;
  out[5] = a5;
  out[6] = a6;
  out[7] = a7;
}

/** `hashBytes` from its lanes: the bytes after the last whole block one by one, then the lanes, as cyrb53 does characters. */
export function finishHash(lanes: Int32Array, b: Uint8Array, start: number, end: number): string {
  let h1 = 0xdeadbeef ^ (end - start);
  let h2 = 0x41c6ce57;
  for (let i = end - ((end - start) & 31); i < end; i++) {
    h1 = Math.imul(h1 ^ b[i]!, 2654435761);
    h2 = Math.imul(h2 ^ b[i]!, 1597334677);
  }
  for (let k = 0; k < 8; k++) {
    const x = lanes[k]! ^ (lanes[k]! >>> 15);
    h1 = Math.imul(h1 ^ x, 2654435761);
    h2 = Math.imul(h2 ^ x, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
