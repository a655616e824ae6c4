import { afterAll, describe, expect, it } from "vitest";
import decoder from "../../src/parse/decode.wasm";
import { bodyElements, decodeXmlText, entryRanges, FeedBody, useWasmDecoder } from "../../src/parse/bytes.js";
import { hashBytes } from "../../src/lib/hash.js";
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
    for (const range of entryRanges(new FeedBody(bytes), tag)) {
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

/** What a FeedBody gives, by WebAssembly (`wasm`) or JavaScript: every "<" found, entry hashes and bodies decoded. */
function readFeed(bytes: Uint8Array, tag: string, wasm: boolean) {
  expect(useWasmDecoder(wasm ? decoder : undefined)).toBe(wasm);
  const body = new FeedBody(bytes);
  const lts: number[] = [];
  for (let i = body.find(60, 0); i >= 0; i = body.find(60, i + 1)) lts.push(i);
  const entries = [...entryRanges(body, tag)].map((range) => ({
    range,
    hash: body.hash(range.start, range.end),
    bodies: bodyElements(bytes, range, ["description", "content:encoded", "content", "summary"]).map((el) => [...body.decode(el.innerStart, el.innerEnd).html.bytes]),
  }));
  return { lts, entries };
}

describe("FeedBody: a feed found, hashed and decoded in the WebAssembly memory as in JavaScript", () => {
  it.each(FIXTURES)("$file: every <, every entry and its hash, every body", async ({ file }) => {
    const bytes = new TextEncoder().encode(await testFile(`fixtures/upstream/${file}`));
    const tag = file.endsWith(".atom.xml") ? "entry" : "item";
    const js = readFeed(bytes, tag, false);
    const wasm = readFeed(bytes, tag, true);
    expect(wasm.entries.length).toBeGreaterThan(0);
    expect(wasm.lts.length).toBeGreaterThan(wasm.entries.length);
    expect(wasm).toEqual(js);
    for (const e of js.entries) expect(e.hash).toBe(hashBytes(bytes, e.range.start, e.range.end));
  });

  it("hashes every range as hashBytes does, at every length and alignment (whole 32-byte blocks and what is left)", () => {
    const bytes = new Uint8Array(300);
    for (let k = 0; k < bytes.length; k++) bytes[k] = (k * 151 + 7) & 255;
    useWasmDecoder(decoder);
    const body = new FeedBody(bytes);
    for (let start = 0; start < 40; start++) {
      for (const length of [0, 1, 31, 32, 33, 63, 64, 65, 100, 255]) {
        if (start + length <= bytes.length) expect([start, length, body.hash(start, start + length)]).toEqual([start, length, hashBytes(bytes, start, start + length)]);
      }
    }
  });

  it("an entry's hash depends on its bytes alone: the same bytes anywhere, in either build, hash the same; one byte changed, not", () => {
    const entry = new TextEncoder().encode(`<item><title>T</title><description>${"&lt;p&gt;x&lt;/p&gt;".repeat(40)}</description></item>`);
    const hashes = new Set<string>();
    for (const wasm of [false, true]) {
      for (const offset of [0, 1, 5, 32, 77]) {
        const bytes = new Uint8Array(offset + entry.length + 9);
        bytes.set(entry, offset);
        useWasmDecoder(wasm ? decoder : undefined);
        hashes.add(new FeedBody(bytes).hash(offset, offset + entry.length));
      }
    }
    expect(hashes.size).toBe(1);
    for (const at of [0, 31, 32, 200, entry.length - 1]) {
      const changed = entry.slice();
      changed[at] = changed[at]! ^ 1;
      expect(hashBytes(changed)).not.toBe([...hashes][0]);
    }
  });

  it("two feeds read in turn (the memory holds one at a time) each read as on their own", async () => {
    const a = new TextEncoder().encode(await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml"));
    const b = new TextEncoder().encode(await testFile("fixtures/upstream/ainews-smol-2025-2026.rss.xml"));
    const alone = [readFeed(a, "item", true), readFeed(b, "item", true)];
    useWasmDecoder(decoder);
    const [ra, rb] = [new FeedBody(a), new FeedBody(b)];
    const [ia, ib] = [entryRanges(ra, "item"), entryRanges(rb, "item")];
    const turns: ReturnType<typeof readFeed>["entries"][] = [[], []];
    for (let done = 0; done < 2; ) {
      done = 0;
      for (const [k, it, body, bytes] of [[0, ia, ra, a], [1, ib, rb, b]] as const) {
        const next = it.next();
        if (next.done) {
          done++;
          continue;
        }
        const range = next.value;
        // Decoded before hashed, and each after the other feed went on: the memory holds the other one by then.
        const bodies = bodyElements(bytes, range, ["description", "content:encoded", "content", "summary"]).map((el) => [...body.decode(el.innerStart, el.innerEnd).html.bytes]);
        turns[k]!.push({ range, hash: body.hash(range.start, range.end), bodies });
      }
    }
    expect(turns[0]).toEqual(alone[0]!.entries);
    expect(turns[1]).toEqual(alone[1]!.entries);
  });
});
