/**
 * The spec of the byte routines (`ByteReader`, src/parse/bytes.ts): what each must give, run
 * against each build (routines.test.ts). Inputs are padded with plain text on either side, so
 * that every build does the work itself (the WebAssembly one leaves short bodies to JavaScript).
 */
import { describe, expect, it } from "vitest";
import type { ByteReader } from "../../src/parse/bytes.js";
import { relativeUrlTags } from "../../src/parse/links.js";
import { hashBytes } from "../../src/lib/hash.js";

const enc = new TextEncoder();
export const PAD = "plain text, long enough for every build to decode it itself. ".repeat(5);

/** What decoding `input` must give as text. */
export const DECODED: [name: string, input: string, output: string][] = [
  ["the XML references", "&lt;a href=&quot;x?a=1&amp;b=2&quot;&gt;l&#39;x &#x27; &apos; &#233; &#x1F525; &#8364;&lt;/a&gt;", `<a href="x?a=1&b=2">l'x ' ' é 🔥 €</a>`],
  [
    "references XML forbids (dropped) or cannot hold (U+FFFD), and ones that are not references",
    "a&#0;b&#1;c&#x1F;d&#9;e&#xFFFE;f&#xFFFF;g&#xD800;h&#x110000;i&#99999999999;j&#x;k&#;l&#12a;m&#60;n&#x3d;o&#62;",
    "a\uFFFDbcd\tefg\uFFFDh\uFFFDi\uFFFDj&#x;k&#;l&#12a;m<n=o>",
  ],
  ["names that are not references, kept as they are", "& &amp &lt &gt &quot &apos &nbsp; &unknown; &#x41 &#65 &lt;p&gt;", "& &amp &lt &gt &quot &apos &nbsp; &unknown; &#x41 &#65 <p>"],
  ["CDATA sections, literally, without forbidden characters; one left open runs to the end", 'before <![CDATA[<p class="x">é 😀 < = \u0001 \t</p>]]> after <![CDATA[unterminated <b>', 'before <p class="x">é 😀 < =  \t</p> after unterminated <b>'],
  ["raw markup kept, controls XML forbids dropped, characters of every length", "a < b = c \u0001\u0002\u000b\u000c\u001f d\r\n\te \u00a0 é 中 😀 \uFFFD", "a < b = c  d\r\n\te \u00a0 é 中 😀 \uFFFD"],
  ["a reference cut by the end of the body", "text &lt", "text &lt"],
  ["a reference that ends the body", "text &gt;", "text >"],
  ["an attribute's = written as a reference", "&lt;a href&#61;&quot;/relative&quot;&gt;x&lt;/a&gt; &lt;img src&#x3D;&quot;rel.png&quot;&gt;", '<a href="/relative">x</a> <img src="rel.png">'],
];

/** Where a decoder must note "<", "=" and the multi-byte characters: every one of the output's. */
function notesOf(bytes: Uint8Array) {
  const lt: number[] = [];
  const wide: number[] = [];
  for (let k = 0; k < bytes.length; k++) {
    const c = bytes[k]!;
    if (c === 60) lt.push(k);
    else if (c >= 0xc0) wide.push(k, c < 0xe0 ? 1 : 2);
  }
  return { lt, wide };
}

function decodeIn(make: (bytes: Uint8Array) => ByteReader, body: Uint8Array) {
  const feed = new Uint8Array([...enc.encode("<description>"), ...body, ...enc.encode("</description>")]);
  const d = make(feed).decode(13, feed.length - 14);
  return { d, bytes: d.html.bytes };
}

export function byteReaderSpec(make: (bytes: Uint8Array) => ByteReader): void {
  describe("decode", () => {
    it.each(DECODED)("%s", (_name, input, output) => {
      for (const [before, after] of [[PAD, ""], ["", PAD], [PAD, PAD]]) {
        const { d, bytes } = decodeIn(make, enc.encode(before + input + after));
        expect(d.text).toBe(before + output + after);
        expect({ lt: [...d.html.lt!], wide: [...d.html.wide!] }).toEqual(notesOf(bytes));
        expect(d.relativeTags).toEqual(relativeUrlTags(bytes));
      }
    });

    it("bytes that are not valid UTF-8 read as TextDecoder reads them; U+FFFE and U+FFFF as bytes are dropped", () => {
      const bad = [0x80, 0x20, 0xe2, 0x82, 0x20, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x20, 0xf4, 0x90, 0x80, 0x80, 0x20, 0xc3, 0xa9];
      const invalid = new Uint8Array([...enc.encode(PAD), ...bad]);
      expect(decodeIn(make, invalid).d.text).toBe(new TextDecoder().decode(invalid));
      const nonCharacters = new Uint8Array([...enc.encode(PAD), 0xef, 0xbf, 0xbe, 0x41, 0xef, 0xbf, 0xbf, 0x42, ...enc.encode(PAD)]);
      expect(decodeIn(make, nonCharacters).d.text).toBe(`${PAD}AB${PAD}`);
    });

    it("a body of plain text comes out as it went in, at every length around a step", () => {
      for (let n = 250; n < 300; n++) {
        const text = "x".repeat(n - 1) + "é";
        expect(decodeIn(make, enc.encode(text)).d.text).toBe(text);
      }
    });
  });

  describe("find", () => {
    it("the first byte from `from`, or -1; across a feed longer than any one step", () => {
      const bytes = new Uint8Array(1_300_000).fill(32);
      const at = [0, 15, 16, 63, 64, 65, 524_287, 524_288, 524_300, 1_299_999];
      for (const k of at) bytes[k] = 60;
      const reader = make(bytes);
      const found: number[] = [];
      for (let i = reader.find(60, 0); i >= 0; i = reader.find(60, i + 1)) found.push(i);
      expect(found).toEqual(at);
      expect(reader.find(62, 0)).toBe(-1);
      expect(reader.find(60, bytes.length)).toBe(-1);
    });
  });

  describe("hash", () => {
    it("is hashBytes: at every length and alignment (whole 32-byte blocks and what is left)", () => {
      const bytes = new Uint8Array(300);
      for (let k = 0; k < bytes.length; k++) bytes[k] = (k * 151 + 7) & 255;
      const reader = make(bytes);
      for (let start = 0; start < 40; start++) {
        for (const length of [0, 1, 31, 32, 33, 63, 64, 65, 100, 255]) {
          expect([start, length, reader.hash(start, start + length)]).toEqual([start, length, hashBytes(bytes, start, start + length)]);
        }
      }
    });

    it("depends on the bytes alone, wherever they lie; one byte changed, another hash; its values do not change (stored states hold them)", () => {
      const entry = enc.encode(`<item><title>T</title><description>${"&lt;p&gt;x&lt;/p&gt;".repeat(40)}</description></item>`);
      const hashes = new Set<string>();
      for (const offset of [0, 1, 5, 32, 77]) {
        const bytes = new Uint8Array(offset + entry.length + 9);
        bytes.set(entry, offset);
        hashes.add(make(bytes).hash(offset, offset + entry.length));
      }
      expect([...hashes]).toEqual(["hudd9vja4n"]);
      for (const at of [0, 31, 32, 200, entry.length - 1]) {
        const changed = entry.slice();
        changed[at] = changed[at]! ^ 1;
        expect(make(changed).hash(0, changed.length)).not.toBe([...hashes][0]);
      }
    });
  });
}
