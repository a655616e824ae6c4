import { describe, expect, it } from "vitest";
import { findAngle, findByte, findFarByte, viewOf, wordsOf } from "../../src/lib/bytes.js";

describe("findByte and findFarByte", () => {
  // A buffer whose bytes sit next to the one searched for (borrows in the SWAR test), at every
  // alignment of the view within its buffer.
  const buffer = new Uint8Array(103);
  for (let k = 0; k < buffer.length; k++) buffer[k] = [0x3b, 0x3d, 0xbc, 0x01, 0x3c][k % 7 === 3 ? 4 : k % 4]!;

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 9])("every search from every start equals indexOf, the view %i bytes into its buffer", (offset) => {
    for (const end of [buffer.length, buffer.length - 1, buffer.length - 2, offset + 3, offset]) {
      const b = buffer.subarray(offset, end);
      const view = viewOf(b);
      const words = wordsOf(b);
      for (const c of [0x3c, 0x3d, 0xbc, 0x00]) {
        for (let from = 0; from <= b.length + 1; from++) {
          const expected = b.indexOf(c, from);
          expect([c, from, findFarByte(b, words, c, from)]).toEqual([c, from, expected]);
          expect([c, from, findByte(b, view, c, from)]).toEqual([c, from, expected]);
        }
      }
    }
  });

  it.each([0, 1, 2, 3])("findAngle finds the first < or > before the end, from every start, %i bytes in", (offset) => {
    const text = new TextEncoder().encode(`x<y>=z?>;<a href="https://example.com/?q=1">link</a>\u00bc\u{1f525} >< ? = ; : tail`);
    const b = new Uint8Array(text.length + offset).subarray(offset);
    b.set(text);
    const naive = (from: number, end: number) => {
      for (let k = from; k < end; k++) if (b[k] === 60 || b[k] === 62) return k;
      return end;
    };
    for (let from = 0; from <= b.length; from++) {
      for (const end of [b.length, b.length - 3, from + 1, from + 5]) {
        if (end < from || end > b.length) continue;
        expect([from, end, findAngle(b, viewOf(b), from, end)]).toEqual([from, end, naive(from, end)]);
      }
    }
  });

  it("finds a lone byte at every distance and alignment (the steps of sixteen and eight bytes)", () => {
    for (let offset = 0; offset < 8; offset++) {
      // Views to their buffer's end and short of it; "=" (next to "<"), and bytes with the high bit after the view.
      for (const [length, size] of [[150, 150], [150, 160], [147, 150]] as const) {
        const buffer = new Uint8Array(size);
        for (let at = 0; at < length - offset; at++) {
          buffer.fill(0x3d).fill(0xbc, length);
          buffer[offset + at] = 0x3c;
          const b = buffer.subarray(offset, length);
          for (const from of [0, 1, 5, 9]) expect([offset, length, size, at, from, findFarByte(b, wordsOf(b), 0x3c, from)]).toEqual([offset, length, size, at, from, from <= at ? at : -1]);
        }
      }
    }
  });

  it("finds a byte megabytes away, and none", () => {
    const b = new Uint8Array(3_000_001).fill(0x61);
    b[2_999_998] = 0x3c;
    expect(findFarByte(b, wordsOf(b), 0x3c, 1)).toBe(2_999_998);
    expect(findFarByte(b, wordsOf(b), 0x3e, 0)).toBe(-1);
  });
});
