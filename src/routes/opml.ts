import type { Query } from "../filter/index.js";
import { listSections } from "../filter/index.js";
import { escapeXml } from "../render/xml.js";
import { httpUrl } from "../render/values.js";
import type { StoredState } from "../storage/refresh.js";
import type { FeedConfig } from "../upstream/config.js";
import { feedTitle, feedUrls } from "./urls.js";

/**
 * GET /feeds/:feed.opml — an OPML 2.0 subscription list: the whole-issue feed, the all-sections
 * feed and one feed per section (RSS), carrying the request's filters. Importable into any reader.
 */
export function renderOpml(url: URL, cfg: FeedConfig, state: StoredState, query: Query, maxAge: number): Response {
  const name = feedTitle(cfg, state);
  const html = httpUrl(state.upstream.link);
  const outline = (title: string, xmlUrl: string) =>
    `    <outline type="rss" text="${escapeXml(title)}" title="${escapeXml(title)}" xmlUrl="${escapeXml(xmlUrl)}"${html ? ` htmlUrl="${escapeXml(html)}"` : ""}/>`;
  // Whole issues take no topic filter; a section's feed takes no other section filter.
  const items = query.granularity === "issue" ? "section" : query.granularity;
  const lines = [
    outline(`${name} (whole issues)`, feedUrls(url, cfg.id, undefined, { ...query, granularity: "issue", topic: undefined }).rss),
    outline(`${name} (all sections)`, feedUrls(url, cfg.id, undefined, { ...query, granularity: items }).rss),
    ...listSections(state).map((s) =>
      outline(`${name} · ${s.title}`, feedUrls(url, cfg.id, s.id, { ...query, granularity: items, sections: undefined, excludeSections: undefined }).rss),
    ),
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
