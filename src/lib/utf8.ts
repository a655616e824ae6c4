/** UTF-8 helpers for the parts of the core that work on bytes rather than strings. */

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const encoder = new TextEncoder();

/** Bytes [start, end) as text (invalid UTF-8 becomes U+FFFD). */
export function utf8Text(b: Uint8Array, start = 0, end = b.length): string {
  return decoder.decode(b.subarray(start, end));
}

export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Byte offsets of UTF-8 text → offsets in its UTF-16 string (what `String.prototype.slice`
 * takes), in place: each continuation byte is one unit less, each 4-byte sequence one unit more.
 * `offsets` must be in nondecreasing order: one pass over the bytes, four at a time over ASCII,
 * whatever their number. Valid UTF-8 only (offsets fall between characters).
 */
export function toUtf16Offsets(b: Uint8Array, offsets: number[]): number[] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 0;
  let delta = 0; // units - bytes before `pos`
  for (let k = 0; k < offsets.length; k++) {
    const p = offsets[k]!;
    const words = p - 3;
    while (pos < words) {
      if ((view.getInt32(pos, true) & 0x80808080) === 0) {
        pos += 4;
        continue;
      }
      const c = b[pos++]!;
      delta += (c & 0xc0) === 0x80 ? -1 : c >= 0xf0 ? 1 : 0;
    }
    for (; pos < p; pos++) {
      const c = b[pos]!;
      delta += (c & 0xc0) === 0x80 ? -1 : c >= 0xf0 ? 1 : 0;
    }
    offsets[k] = p + delta;
  }
  return offsets;
}
