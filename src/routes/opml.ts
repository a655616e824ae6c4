import type { Query } from "../filter/index.js";
import { listSections } from "../filter/index.js";
import { escapeXml } from "../render/xml.js";
import { httpUrl } from "../render/values.js";
import type { StoredState } from "../storage/kv.js";
import type { FeedConfig } from "../upstream/config.js";
import { feedTitle, feedUrls } from "./urls.js";

/**
 * GET /feeds/:feed.opml — an OPML 2.0 subscription list: the whole-issue feed, the all-sections
 * feed and one feed per section (RSS), carrying the request's filters, in a folder named after the
 * digest. Importable into any reader; each feed's title is short and its own (the section's), as
 * a reader's feed pane shows it under the folder.
 */
export function renderOpml(url: URL, cfg: FeedConfig, state: StoredState, query: Query, maxAge: number): Response {
  const name = feedTitle(cfg, state);
  const html = httpUrl(state.upstream.link);
  const outline = (title: string, xmlUrl: string) =>
    `    <outline type="rss" text="${escapeXml(title)}" title="${escapeXml(title)}" xmlUrl="${escapeXml(xmlUrl)}"${html ? ` htmlUrl="${escapeXml(html)}"` : ""}/>`;
  // Whole issues take no topic filter; a section's feed takes no other section filter.
  const items = query.granularity === "issue" ? "section" : query.granularity;
  const sections = listSections(state);
  const titles = distinct(sections.map((s) => s.title));
  const lines = [
    outline("Whole issues", feedUrls(url, cfg.id, undefined, { ...query, granularity: "issue", topic: undefined }).rss),
    outline("All sections", feedUrls(url, cfg.id, undefined, { ...query, granularity: items }).rss),
    ...sections.map((s, k) => outline(titles[k]!, feedUrls(url, cfg.id, s.id, { ...query, granularity: items, sections: undefined, excludeSections: undefined }).rss)),
  ];
  const body = `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>${escapeXml(name)} — split by feedslice</title>
  </head>
  <body>
   <outline text="${escapeXml(name)}" title="${escapeXml(name)}">
${lines.join("\n")}
   </outline>
  </body>
</opml>
`;
  return new Response(body, {
    headers: { "Content-Type": "text/x-opml; charset=utf-8", "Content-Disposition": `inline; filename="${cfg.id}.opml"`, "Cache-Control": `public, max-age=${maxAge}` },
  });
}

/** Titles made distinct where two are the same ("News", "News (2)"). */
function distinct(titles: string[]): string[] {
  const seen = new Map<string, number>();
  return titles.map((t) => {
    const n = (seen.get(t) ?? 0) + 1;
    seen.set(t, n);
    return n === 1 ? t : `${t} (${n})`;
  });
}
