/**
 * The naive way, for comparison: parse the whole upstream with fast-xml-parser (entities and all),
 * build a DOM of every issue (linkedom) and split it by walking the body's children.
 * Produces the same shape of output as the real pipeline (sections with topics, as HTML).
 */
import { XMLParser } from "fast-xml-parser";
import { Feed } from "feed";
import { parseHTML } from "linkedom";
import { escapeHtml, htmlToText } from "../src/lib/text.js";
import type { FeedItem, FeedMeta } from "../src/model.js";
import { renderFeed } from "../src/render/index.js";

/** The little of the DOM the naive split uses (linkedom's nodes; no DOM lib in the workers build). */
interface DomNode {
  tagName?: string;
  textContent: string | null;
  outerHTML?: string;
  children: ArrayLike<DomNode>;
}

export interface NaiveSection {
  title: string;
  topics: { title: string; html: string }[];
}

export function naiveIngest(xml: string): { title: string; link: string; date: string; sections: NaiveSection[] }[] {
  const doc = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true }).parse(xml);
  const items = [doc.rss?.channel?.item ?? doc.feed?.entry ?? []].flat();
  return items.map((item: Record<string, any>) => ({
    title: String(item.title ?? ""),
    link: String(item.link ?? ""),
    date: String(item.pubDate ?? item.published ?? ""),
    sections: naiveSplit(String(item["content:encoded"] ?? item.description ?? item.content?.["#text"] ?? "")),
  }));
}

const level = (n: DomNode) => (n.tagName && /^H[1-6]$/.test(n.tagName) ? Number(n.tagName[1]) : 0);

function chooseLevel(nodes: DomNode[], below: number): number {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const n of nodes) if (level(n) > below) counts[level(n)]!++;
  for (let l = below + 1; l <= 6; l++) if (counts[l]! >= 2) return l;
  return 0;
}

function html(nodes: DomNode[]): string {
  return nodes.map((n) => n.outerHTML ?? n.textContent ?? "").join("");
}

function isBoldParagraph(n: DomNode): boolean {
  return n.tagName === "P" && n.children.length === 1 && /^(STRONG|B)$/.test(n.children[0]!.tagName ?? "");
}

function naiveSplit(body: string): NaiveSection[] {
  const { document } = parseHTML(`<!doctype html><html><body>${body}</body></html>`);
  const nodes = [...document.body.childNodes] as unknown as DomNode[];
  const top = chooseLevel(nodes, 0);
  const groups: { title: string; nodes: DomNode[] }[] = [{ title: "Intro", nodes: [] }];
  for (const n of nodes) {
    if (top && level(n) === top) groups.push({ title: n.textContent ?? "", nodes: [n] });
    else groups[groups.length - 1]!.nodes.push(n);
  }
  return groups.map((g) => {
    const sub = chooseLevel(g.nodes, top);
    const topics: { title: string; nodes: DomNode[] }[] = [{ title: g.title, nodes: [] }];
    for (const n of g.nodes) {
      if ((sub && level(n) === sub) || (!sub && isBoldParagraph(n))) topics.push({ title: n.textContent ?? "", nodes: [n] });
      else topics[topics.length - 1]!.nodes.push(n);
    }
    return { title: g.title, topics: topics.map((t) => ({ title: t.title, html: html(t.nodes) })) };
  });
}

/**
 * The renderer before it was written by hand: RSS and Atom through the `feed` package (xml-js
 * underneath); JSON Feed as it is rendered now (it never went through `feed`). Same input, same feed contents.
 */
export function renderWithFeedPackage(meta: FeedMeta, items: FeedItem[]): string {
  // JSON Feed was written directly before too: its baseline is the renderer itself.
  if (meta.format === "json") return renderFeed(meta, items);
  const atom = meta.format === "atom";
  const feed = new Feed({
    id: meta.selfUrls.atom,
    title: meta.title,
    description: meta.description,
    link: meta.link,
    language: meta.language,
    updated: new Date(meta.updated),
    generator: "feedslice",
    author: { name: meta.author },
    feedLinks: { rss: meta.selfUrls.rss, atom: meta.selfUrls.atom, json: meta.selfUrls.json },
  });
  for (const item of items) {
    feed.addItem({
      id: item.id,
      title: atom ? escapeHtml(item.title) : item.title,
      link: item.link,
      date: new Date(item.date),
      description: atom ? undefined : summary(item.html),
      content: item.html,
      category: item.categories.map((c) => ({ name: c, term: c })),
      author: item.author ? [{ name: item.author }] : undefined,
    });
  }
  return atom ? feed.atom1() : feed.rss2();
}

function summary(html: string): string {
  const text = htmlToText(html.slice(0, 280 * 8).replace(/<[^>]*$/, ""));
  if (text.length <= 280) return text;
  const cut = text.lastIndexOf(" ", 280);
  return text.slice(0, cut > 140 ? cut : 280) + "…";
}
