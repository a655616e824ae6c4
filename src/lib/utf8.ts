/** UTF-8 helpers for the parts of the core that work on bytes rather than strings. */

/**
 * HTML as UTF-8 bytes (valid UTF-8), with what its decoder noted on the way, so that the
 * splitter need not scan for it again (`ByteReader.decode`, parse/bytes.ts).
 */
export interface Utf8Html {
  bytes: Uint8Array;
  /** The offset of every "<", in order. */
  lt?: Int32Array;
  /**
   * Every multi-byte character, in order, as pairs: its offset, and how many UTF-16 units it is
   * shorter than its bytes (1 for 2-byte sequences, 2 for 3- and 4-byte ones).
   */
  wide?: Int32Array;
  /**
   * Where each top-level element starts and ends, as pairs: the "<" of its start tag, and just
   * past its end tag (the sanitizer notes them: it keeps the open elements anyway).
   */
  blocks?: Int32Array;
}

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
 * `offsets` must be in nondecreasing order. With the `wide` characters known, a walk over them;
 * else one pass over the bytes, four at a time over ASCII. Offsets fall between characters.
 */
export function toUtf16Offsets(html: Utf8Html, offsets: number[]): number[] {
  const { bytes: b, wide } = html;
  let delta = 0; // units - bytes before `pos`
  if (wide) {
    let w = 0;
    for (let k = 0; k < offsets.length; k++) {
      const p = offsets[k]!;
      while (w < wide.length && wide[w]! < p) {
        delta -= wide[w + 1]!;
        w += 2;
      }
      offsets[k] = p + delta;
    }
    return offsets;
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 0;
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
