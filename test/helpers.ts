import { parseFeed } from "../src/parse/index.js";
import type { UpstreamFeed } from "../src/model.js";

/** The upstream fixture files (test/fixtures/upstream), each with the preset it is split with. */
export const FIXTURES = [
  { file: "ainews-buttondown-2024-04.rss.xml", preset: "ainews", items: 5 },
  { file: "ainews-smol-2025-2026.rss.xml", preset: "ainews", items: 10 },
  { file: "twir-2026.atom.xml", preset: "headings", items: 4 },
  { file: "ainews-buttondown-2024-04-month.rss.xml", preset: "ainews", items: 22 },
] as const;

/** A file under test/, served to the worker by the outbound stub in vitest.config.ts. */
export async function testFile(path: string): Promise<string> {
  const res = await fetch(`https://fixtures.test/${path}`);
  if (!res.ok) throw new Error(`no test file ${path}`);
  return res.text();
}

const parsed = new Map<string, Promise<UpstreamFeed>>();

/** A fixture feed, parsed once per test file. */
export function fixtureFeed(file: string): Promise<UpstreamFeed> {
  let p = parsed.get(file);
  if (!p) {
    const url = `https://fixtures.test/fixtures/upstream/${file}`;
    p = testFile(`fixtures/upstream/${file}`).then((body) => parseFeed(body, url));
    parsed.set(file, p);
  }
  return p;
}

/** Every href="…" in a piece of HTML, in order. */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)].map((m) => m[1]!);
}

/**
 * An RSS feed with one more issue at the top, as the next day's upstream would be: a copy of its
 * newest item under a new guid, link, title and date (and a new lastBuildDate).
 */
export function withNewIssue(xml: string): string {
  const start = xml.indexOf("<item>");
  const end = xml.indexOf("</item>", start) + "</item>".length;
  const item = xml
    .slice(start, end)
    .replace(/<title>[^<]*<\/title>/, "<title>A new issue</title>")
    .replace(/<guid>([^<]*)<\/guid>/, "<guid>$1new-issue/</guid>")
    .replace(/<link>([^<]*)<\/link>/, "<link>$1new-issue/</link>")
    .replace(/<pubDate>[^<]*<\/pubDate>/, "<pubDate>Thu, 02 May 2024 01:00:00 +0000</pubDate>")
    .replace("AI News for", "AI News (a new issue) for");
  const head = xml.slice(0, start).replace(/<lastBuildDate>[^<]*</, "<lastBuildDate>Thu, 02 May 2024 01:00:00 +0000<");
  return `${head}${item}\n    ${xml.slice(start)}`;
}
