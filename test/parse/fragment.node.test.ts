import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, expect, it, vi } from "vitest";
import { ingest } from "../../src/storage/ingest.js";

// fast-xml-parser with its parse() calls counted: what an entry or a head costs when the fragment
// reader (src/parse/fragment.ts) leaves it to the parser. Speed only: the output is the same.
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock("fast-xml-parser", async (importOriginal) => {
  const real = await importOriginal<typeof import("fast-xml-parser")>();
  class XMLParser extends real.XMLParser {
    override parse(xml: string | Uint8Array) {
      parses.count++;
      return super.parse(xml);
    }
  }
  return { ...real, XMLParser };
});

beforeEach(() => {
  parses.count = 0;
});

const cfg = { url: "https://example.com/feed.xml", preset: "ainews" as const };
const run = (body: string | Uint8Array) =>
  ingest(cfg, typeof body === "string" ? new TextEncoder().encode(body) : body, { contentType: "application/rss+xml", url: cfg.url, now: "2024-05-02T06:00:00.000Z" });

it("a cold ingest of the month reads its head and its 22 entries without the XML parser", () => {
  const month = readFileSync(join(import.meta.dirname, "../fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml"));
  expect(run(new Uint8Array(month)).state.issues).toHaveLength(22);
  expect(parses.count).toBe(0);
});

it("an entry the fragment reader does not read (a comment in it) goes to the parser", () => {
  const item = (n: number, extra = "") => `<item>${extra}<title>Issue ${n}</title><guid>${n}</guid><description>&lt;h1&gt;Part&lt;/h1&gt;&lt;p&gt;text ${n}&lt;/p&gt;</description></item>`;
  const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.com/</link>${item(1, "<!-- a comment -->")}${item(2)}</channel></rss>`;
  expect(run(feed).state.issues.map((i) => i.title)).toEqual(["Issue 1", "Issue 2"]);
  expect(parses.count).toBe(1);
});
