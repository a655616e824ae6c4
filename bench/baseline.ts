/**
 * The naive way, for comparison: parse the whole upstream with fast-xml-parser (entities and all),
 * build a DOM of every issue (linkedom) and split it by walking the body's children.
 * Produces the same shape of output as the real pipeline (sections with topics, as HTML).
 */
import { XMLParser } from "fast-xml-parser";
import { parseHTML } from "linkedom";

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

const level = (n: Node) => (/^H[1-6]$/.test((n as Element).tagName ?? "") ? Number((n as Element).tagName[1]) : 0);

function chooseLevel(nodes: Node[], below: number): number {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const n of nodes) if (level(n) > below) counts[level(n)]!++;
  for (let l = below + 1; l <= 6; l++) if (counts[l]! >= 2) return l;
  return 0;
}

function html(nodes: Node[]): string {
  return nodes.map((n) => (n as Element).outerHTML ?? n.textContent ?? "").join("");
}

function isBoldParagraph(n: Node): boolean {
  const el = n as Element;
  return el.tagName === "P" && el.children.length === 1 && /^(STRONG|B)$/.test(el.children[0]!.tagName);
}

function naiveSplit(body: string): NaiveSection[] {
  const { document } = parseHTML(`<!doctype html><html><body>${body}</body></html>`);
  const nodes = [...document.body.childNodes] as Node[];
  const top = chooseLevel(nodes, 0);
  const groups: { title: string; nodes: Node[] }[] = [{ title: "Intro", nodes: [] }];
  for (const n of nodes) {
    if (top && level(n) === top) groups.push({ title: n.textContent ?? "", nodes: [n] });
    else groups[groups.length - 1]!.nodes.push(n);
  }
  return groups.map((g) => {
    const sub = chooseLevel(g.nodes, top);
    const topics: { title: string; nodes: Node[] }[] = [{ title: g.title, nodes: [] }];
    for (const n of g.nodes) {
      if ((sub && level(n) === sub) || (!sub && isBoldParagraph(n))) topics.push({ title: n.textContent ?? "", nodes: [n] });
      else topics[topics.length - 1]!.nodes.push(n);
    }
    return { title: g.title, topics: topics.map((t) => ({ title: t.title, html: html(t.nodes) })) };
  });
}
