/** Searching bytes in plain JavaScript, faster than the built-ins where matches are close together. */

/**
 * Index of the first byte `c` in `b` from `from`, or -1: four bytes a step (a SWAR zero-byte
 * test). `Uint8Array.prototype.indexOf` costs a call into the runtime each time, which dominates
 * when the next match is a few dozen bytes away, as tags are in HTML.
 */
export function findByte(b: Uint8Array, view: DataView, c: number, from: number): number {
  const n = b.length;
  const pattern = Math.imul(c, 0x01010101);
  let k = from;
  for (; k + 4 <= n; k += 4) {
    const x = view.getUint32(k, true) ^ pattern;
    const m = (x - 0x01010101) & ~x & 0x80808080;
    if (m !== 0) return k + ((31 - Math.clz32(m & -m)) >>> 3);
  }
  for (; k < n; k++) if (b[k] === c) return k;
  return -1;
}

export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
