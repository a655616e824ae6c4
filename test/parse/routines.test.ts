/**
 * The byte routines' two builds: each against the spec (routines.case.ts), then against each
 * other on every fixture, and the WebAssembly build's own contracts (the memory holds one feed at
 * a time; it leaves to JavaScript only what it should).
 */
import { afterAll, describe, expect, it } from "vitest";
import decoder from "../../src/parse/decode.wasm";
import { type ByteReader, JsReader, readBytes, useWasmDecoder } from "../../src/parse/bytes.js";
import type { DecodedBody } from "../../src/parse/decoded.js";
import { bodyElements, entryRanges } from "../../src/parse/ranges.js";
import { WasmBuild, WasmReader } from "../../src/parse/wasm.js";
import { hashBytes } from "../../src/lib/hash.js";
import { FIXTURES, testFile } from "../helpers.js";
import { byteReaderSpec, DECODED, PAD } from "./routines.case.js";

const build = WasmBuild.create(decoder)!;

/** The WebAssembly build, counting what it leaves to JavaScript. */
function wasmReader(bytes: Uint8Array, left: string[] = []): ByteReader {
  const js = new JsReader(bytes);
  const counting: ByteReader = {
    bytes,
    find: (c, from) => (left.push("find"), js.find(c, from)),
    hash: (start, end) => (left.push("hash"), js.hash(start, end)),
    decode: (start, end) => (left.push("decode"), js.decode(start, end)),
  };
  return new WasmReader(build, bytes, counting);
}

describe("the JavaScript build", () => byteReaderSpec((bytes) => new JsReader(bytes)));
describe("the WebAssembly build", () => byteReaderSpec((bytes) => wasmReader(bytes)));

describe("the WebAssembly build does the work itself", () => {
  it("decoding every spec input that is valid UTF-8, finding and hashing in a feed it holds", () => {
    const left: string[] = [];
    for (const [, input] of DECODED) {
      const bytes = new TextEncoder().encode(`<description>${PAD}${input}</description>`);
      wasmReader(bytes, left).decode(13, bytes.length - 14);
    }
    const feed = new TextEncoder().encode(`<rss>${"<item>x</item>".repeat(100)}</rss>`);
    const reader = wasmReader(feed, left);
    expect(reader.find(60, 1)).toBe(5);
    reader.hash(0, feed.length);
    expect(left).toEqual([]);
  });

  it("and leaves to JavaScript a body too short to pay for the copy, and bytes that are not valid UTF-8", () => {
    const left: string[] = [];
    const short = new TextEncoder().encode("<description>&lt;p&gt;</description>");
    wasmReader(short, left).decode(13, short.length - 14);
    const invalid = new Uint8Array([...new TextEncoder().encode(PAD), 0x80]);
    wasmReader(invalid, left).decode(0, invalid.length);
    expect(left).toEqual(["decode", "decode"]);
  });
});

afterAll(() => useWasmDecoder(undefined));

/** Every entry of a feed read by one build: every "<" found, each entry's hash and decoded bodies. */
function readFeed(bytes: Uint8Array, tag: string, wasm: boolean) {
  expect(useWasmDecoder(wasm ? decoder : undefined)).toBe(wasm);
  const body = readBytes(bytes);
  const lts: number[] = [];
  for (let i = body.find(60, 0); i >= 0; i = body.find(60, i + 1)) lts.push(i);
  const entries = [...entryRanges(body, tag)].map((range) => ({ range, hash: body.hash(range.start, range.end), bodies: bodies(body, range).map(read) }));
  return { lts, entries };
}

function bodies(body: ByteReader, range: ReturnType<typeof entryRanges> extends Generator<infer R> ? R : never): DecodedBody[] {
  return bodyElements(body.bytes, range, ["description", "content:encoded", "content", "summary"]).map((el) => body.decode(el.innerStart, el.innerEnd));
}

function read(d: DecodedBody) {
  return { bytes: [...d.html.bytes], lt: d.html.lt && [...d.html.lt], wide: d.html.wide && [...d.html.wide], relativeTags: d.relativeTags };
}

describe("the builds give the same on every fixture", () => {
  it.each(FIXTURES)("$file: every <, every entry and its hash, every body with its notes and relative links", async ({ file }) => {
    const bytes = new TextEncoder().encode(await testFile(`fixtures/upstream/${file}`));
    const tag = file.endsWith(".atom.xml") ? "entry" : "item";
    const js = readFeed(bytes, tag, false);
    const wasm = readFeed(bytes, tag, true);
    expect(wasm.entries.length).toBeGreaterThan(0);
    expect(wasm.lts.length).toBeGreaterThan(wasm.entries.length);
    expect(wasm).toEqual(js);
    for (const e of js.entries) expect(e.hash).toBe(hashBytes(bytes, e.range.start, e.range.end));
  });

  it("two feeds read in turn (the memory holds one at a time) each read as on their own", async () => {
    const a = new TextEncoder().encode(await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml"));
    const b = new TextEncoder().encode(await testFile("fixtures/upstream/ainews-smol-2025-2026.rss.xml"));
    const alone = [readFeed(a, "item", true), readFeed(b, "item", true)];
    useWasmDecoder(decoder);
    const readers = [readBytes(a), readBytes(b)];
    const ranges = readers.map((r) => entryRanges(r, "item"));
    const turns: ReturnType<typeof readFeed>["entries"][] = [[], []];
    for (let done = 0; done < 2; ) {
      done = 0;
      for (const k of [0, 1]) {
        const next = ranges[k]!.next();
        if (next.done) {
          done++;
          continue;
        }
        // Decoded before hashed, and each after the other feed went on: the memory holds the other one by then.
        const decoded = bodies(readers[k]!, next.value).map(read);
        turns[k]!.push({ range: next.value, hash: readers[k]!.hash(next.value.start, next.value.end), bodies: decoded });
      }
    }
    expect(turns[0]).toEqual(alone[0]!.entries);
    expect(turns[1]).toEqual(alone[1]!.entries);
  });
});
