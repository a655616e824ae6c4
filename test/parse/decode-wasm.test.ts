import { afterAll, describe, expect, it } from "vitest";
import decoder from "../../src/parse/decode.wasm";
import { bodyElements, decodeXmlText, entryRanges, useWasmDecoder } from "../../src/parse/bytes.js";
import { FIXTURES, testFile } from "../helpers.js";

/** The body decoded by the JavaScript decoder and by the WebAssembly one: what each gives. */
function both(b: Uint8Array, start: number, end: number) {
  const read = () => {
    const d = decodeXmlText(b, start, end);
    return { bytes: [...d.html.bytes], lt: d.html.lt && [...d.html.lt], wide: d.html.wide && [...d.html.wide], relativeTags: d.relativeTags, text: d.text };
  };
  useWasmDecoder(undefined);
  const js = read();
  expect(useWasmDecoder(decoder)).toBe(true);
  const wasm = read();
  return { js, wasm };
}

afterAll(() => useWasmDecoder(undefined));

describe("the WebAssembly decoder gives what the JavaScript one gives", () => {
  it.each(FIXTURES)("$file: every entry body, its notes and its relative links", async ({ file }) => {
    const bytes = new TextEncoder().encode(await testFile(`fixtures/upstream/${file}`));
    const tag = file.endsWith(".atom.xml") ? "entry" : "item";
    let bodies = 0;
    for (const range of entryRanges(bytes, tag)) {
      for (const el of bodyElements(bytes, range, ["description", "content:encoded", "content", "summary"])) {
        const { js, wasm } = both(bytes, el.innerStart, el.innerEnd);
        expect(wasm).toEqual(js);
        bodies++;
      }
    }
    expect(bodies).toBeGreaterThan(0);
  });

  const pad = "plain text, long enough for the WebAssembly decoder to be used. ".repeat(5);
  const cases: [string, string | number[]][] = [
    ["references", "&lt;a href=&quot;x?a=1&amp;b=2&quot;&gt;l&#39;x &#x27; &apos; &#233; &#x1F525; &#8364;&lt;/a&gt;"],
    ["references XML forbids or cannot be", "a&#0;b&#1;c&#x1F;d&#9;e&#xFFFE;f&#xFFFF;g&#xD800;h&#x110000;i&#99999999999;j&#x;k&#;l&#12a;m&#60;n&#x3d;o&#62;"],
    ["not references", "& &amp &lt &gt &quot &apos &nbsp; &unknown; &#x41 &#65 &lt;p&gt;"],
    ["CDATA", "before <![CDATA[<p class=\"x\">é 😀 < = \u0001 \t</p>]]> after <![CDATA[unterminated <b>"],
    ["raw markup and controls", "a < b = c \u0001\u0002\u000b\u000c\u001f d\r\n\te \u00a0 é 中 😀 \uFFFD"],
    ["a reference cut by the end", "text &lt"],
    ["a reference at the end", "text &gt;"],
    ["an attribute's = as a reference", "&lt;a href&#61;&quot;/relative&quot;&gt;x&lt;/a&gt; &lt;img src&#x3D;&quot;rel.png&quot;&gt;"],
  ];
  it.each(cases)("%s, short and long", (_name, body) => {
    for (const text of typeof body === "string" ? [body, pad + body, body + pad, pad + body + pad] : [body]) {
      const bytes = new TextEncoder().encode(`<description>${text}</description>`);
      const { js, wasm } = both(bytes, 13, bytes.length - 14);
      expect(wasm).toEqual(js);
    }
  });

  it("bytes that are not valid UTF-8, and U+FFFE and U+FFFF as bytes", () => {
    const enc = new TextEncoder();
    const bad = [0x80, 0x20, 0xe2, 0x82, 0x20, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xef, 0xbf, 0xbf, 0xef, 0xbf, 0xbe, 0xf4, 0x90, 0x80, 0x80, 0x20, 0xc3, 0xa9];
    for (const body of [[...enc.encode(pad), ...bad], [...enc.encode(pad), 0xef, 0xbf, 0xbe, 0x41, 0xef, 0xbf, 0xbf, ...enc.encode(pad)]]) {
      const bytes = new Uint8Array([...enc.encode("<description>"), ...body, ...enc.encode("</description>")]);
      const { js, wasm } = both(bytes, 13, bytes.length - 14);
      expect(wasm).toEqual(js);
    }
  });
});
