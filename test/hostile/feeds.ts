/**
 * Hostile upstreams: each a feed body as a hostile or broken publisher could serve it, with its
 * Content-Type. The test worker's outbound fetches of https://hostile.test/<id> are answered with
 * them (vitest.config.ts), and test/hostile/hostile.test.ts reads every one through the worker.
 * Plain TypeScript: read by the Node side (the stub) and by the tests in workerd.
 */
import { HOSTILE_HTML } from "./html.js";

export interface HostileFeed {
  id: string;
  /** What it tries. */
  what: string;
  body: string | Uint8Array;
  contentType: string;
  /** The feed cannot be read at all: the worker must answer 502 (no data yet), not 500. */
  unreadable?: boolean;
}

const RSS = "application/rss+xml; charset=utf-8";
const ATOM = "application/atom+xml; charset=utf-8";
const JSON_FEED = "application/feed+json; charset=utf-8";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const cdata = (s: string) => `<![CDATA[${s.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

/**
 * The same in an email's layout: hostile wrappers (handlers, styles) around table cells whose
 * titles are styled spans, so that every item is cut inside them and re-opens them.
 */
function emailHtml(payloads: string[]): string {
  const cell = (p: string, k: number) =>
    `<tr><td onclick="alert(${k})" style="position:fixed;font-size:14px"><span style="font-size:24px;font-weight:bold">Section ${k}</span><p>before</p>${p}<p><b>Lead ${k}</b> goes on here.</p><p><b>Next ${k}</b> goes on too.</p></td></tr>`;
  return `<div onmouseover="x()" class="wrap"><table background="javascript:alert(1)"><tr><td><p>intro</p></td></tr>${payloads.map(cell).join("")}</table></div>`;
}

/** An issue whose sections and topics each hold some of the payloads. */
function issueHtml(payloads: string[]): string {
  return payloads.map((p, k) => `<h1>Section ${k % 3}</h1>\n<h2>Topic ${k}</h2>\n<p>before</p>\n${p}\n<p>after ${k}</p>`).join("\n");
}

interface Item {
  title?: string;
  link?: string;
  guid?: string;
  date?: string;
  html?: string;
  categories?: string[];
  author?: string;
}

function rss(items: Item[], channel: { title?: string; link?: string; language?: string; prolog?: string } = {}): string {
  return (
    `${channel.prolog ?? '<?xml version="1.0" encoding="utf-8"?>'}\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n` +
    `<title>${esc(channel.title ?? "Hostile digest")}</title>\n<link>${esc(channel.link ?? "https://hostile.example/")}</link>\n<description>d</description>\n` +
    (channel.language !== undefined ? `<language>${esc(channel.language)}</language>\n` : "") +
    items
      .map(
        (i, k) =>
          `<item>\n<title>${esc(i.title ?? `Issue ${k}`)}</title>\n<link>${esc(i.link ?? `https://hostile.example/${k}`)}</link>\n` +
          `<guid isPermaLink="false">${esc(i.guid ?? `issue-${k}`)}</guid>\n<pubDate>${esc(i.date ?? `Mon, 0${1 + (k % 9)} Jun 2026 06:00:00 GMT`)}</pubDate>\n` +
          (i.categories ?? []).map((c) => `<category>${esc(c)}</category>\n`).join("") +
          (i.author ? `<author>${esc(i.author)}</author>\n` : "") +
          `<content:encoded>${cdata(i.html ?? issueHtml(["<p>plain</p>"]))}</content:encoded>\n</item>\n`,
      )
      .join("") +
    "</channel>\n</rss>\n"
  );
}

function atom(items: Item[], feed: { title?: string; lang?: string } = {}): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"${feed.lang !== undefined ? ` xml:lang="${esc(feed.lang)}"` : ""}>\n` +
    `<title>${esc(feed.title ?? "Hostile Atom")}</title>\n<id>urn:hostile</id>\n<updated>2026-06-01T00:00:00Z</updated>\n<link href="https://hostile.example/"/>\n` +
    items
      .map(
        (i, k) =>
          `<entry>\n<title type="html">${esc(esc(i.title ?? `Entry ${k}`))}</title>\n<id>${esc(i.guid ?? `urn:entry:${k}`)}</id>\n` +
          `<link href="${esc(i.link ?? `https://hostile.example/${k}`)}"/>\n<updated>${esc(i.date ?? "2026-06-01T06:00:00Z")}</updated>\n` +
          (i.categories ?? []).map((c) => `<category term="${esc(c)}"/>\n`).join("") +
          `<content type="html">${esc(i.html ?? issueHtml(["<p>plain</p>"]))}</content>\n</entry>\n`,
      )
      .join("") +
    "</feed>\n"
  );
}

function jsonFeed(items: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: "https://jsonfeed.org/version/1.1", title: "Hostile JSON", home_page_url: "https://hostile.example/", ...extra, items });
}

const payloads = HOSTILE_HTML.map(([, html]) => html);
const CONTROL = "\u0001\u0002\u0008\u000b\u000c\u001f\ufffe\uffff";
const XSS_TITLE = `<script>alert(1)</script><img src=x onerror=alert(1)>"'&amp;`;

export const HOSTILE_FEEDS: HostileFeed[] = [
  // Content: every payload of html.ts in issue bodies, in each input format.
  { id: "xss-rss", what: "XSS payloads in RSS content:encoded", body: rss(payloads.map((p, k) => ({ html: issueHtml([p, payloads[(k + 1) % payloads.length]!]) }))), contentType: RSS },
  { id: "xss-atom", what: "XSS payloads in Atom content", body: atom(payloads.map((p) => ({ html: issueHtml([p]) }))), contentType: ATOM },
  {
    id: "xss-json",
    what: "XSS payloads in JSON Feed content_html",
    body: jsonFeed(payloads.map((p, k) => ({ id: `j${k}`, url: `https://hostile.example/j${k}`, title: `J ${k}`, content_html: issueHtml([p]), date_published: "2026-06-01T00:00:00Z" }))),
    contentType: JSON_FEED,
  },
  { id: "xss-one-issue", what: "every payload in one issue", body: rss([{ html: issueHtml(payloads) }]), contentType: RSS },
  { id: "xss-email", what: "every payload in an email's table layout (nested cuts re-open hostile wrappers)", body: rss([{ html: emailHtml(payloads) }]), contentType: RSS },
  { id: "xss-description-only", what: "payloads in RSS description, entity-escaped", body: rss([{ html: undefined }]).replace(/<content:encoded>[\s\S]*?<\/content:encoded>/, `<description>${esc(issueHtml(payloads.slice(0, 20)))}</description>`), contentType: RSS },
  // Titles, links, ids, categories, authors.
  { id: "title-xss", what: "markup in titles and headings", body: rss([{ title: XSS_TITLE, html: `<h1>${esc(XSS_TITLE)}</h1><p>x</p><h1>B</h1><p>y</p>` }], { title: XSS_TITLE }), contentType: RSS },
  { id: "title-escaped-script", what: "a title and text that show code as text", body: rss([{ title: "&lt;script&gt;", html: "<h1>Code</h1><p>&lt;script&gt;alert(1)&lt;/script&gt; is shown as text</p>" }]), contentType: RSS },
  { id: "link-javascript", what: "javascript: item and channel links", body: rss([{ link: "javascript:alert(1)" }, { link: " JaVaScRiPt:alert(2)" }], { link: "javascript:alert(3)" }), contentType: RSS },
  { id: "link-data", what: "data: links", body: rss([{ link: "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" }]), contentType: RSS },
  { id: "link-atom-javascript", what: "javascript: Atom link", body: atom([{ link: "javascript:alert(1)" }]), contentType: ATOM },
  { id: "link-json-javascript", what: "javascript: JSON Feed url and home page", body: jsonFeed([{ id: "1", url: "javascript:alert(1)", content_html: "<p>x</p>" }], { home_page_url: "javascript:alert(2)" }), contentType: JSON_FEED },
  { id: "guid-xss", what: "markup and a javascript: URL as the id", body: rss([{ guid: 'javascript:alert(1)"><script>' }]), contentType: RSS },
  { id: "category-xss", what: "markup in categories", body: rss([{ categories: [XSS_TITLE, "javascript:alert(1)"] }]), contentType: RSS },
  { id: "heading-id-xss", what: "hostile heading ids (anchors in item links)", body: rss([{ html: `<h1 id="x&quot; onclick=&quot;alert(1)">A</h1><p>a</p><h1 id="javascript:alert(1)">B</h1><p>b</p><h1 id="&lt;script&gt;">C</h1><p>c</p>` }]), contentType: RSS },
  // Characters XML forbids, in every field of every input format.
  { id: "control-rss", what: "control characters in every RSS field", body: rss([{ title: `T${CONTROL}`, author: `A${CONTROL}`, categories: [`c${CONTROL}`], html: `<h1>H&#1;&#x8;${CONTROL}</h1><p>p${CONTROL}&#0;&#xFFFF;</p><h1>Two</h1><p>q</p>` }], { title: `F${CONTROL}` }).replace(/[\ufffe\uffff]/g, ""), contentType: RSS },
  { id: "control-rss-raw", what: "raw C0 bytes in RSS text (not well-formed XML)", body: rss([{ title: `T${CONTROL}`, html: `<h1>H${CONTROL}</h1><p>x</p>` }]), contentType: RSS },
  { id: "control-atom", what: "control characters and references in Atom", body: atom([{ title: `T${CONTROL}`, html: `<h1>&#1;H</h1><p>${CONTROL}</p>` }], { title: `F${CONTROL}` }), contentType: ATOM },
  {
    id: "control-json",
    what: "control characters in every JSON Feed string",
    body: jsonFeed([{ id: `i${CONTROL}`, url: "https://hostile.example/1", title: `T${CONTROL}`, content_html: `<h1>H${CONTROL}</h1><p>&#1;</p>`, tags: [`t${CONTROL}`], authors: [{ name: `N${CONTROL}` }] }], { title: `F${CONTROL}`, description: CONTROL }),
    contentType: JSON_FEED,
  },
  { id: "lone-surrogate-json", what: "lone surrogates in JSON Feed strings", body: '{"version":"https://jsonfeed.org/version/1.1","title":"S\\ud800","items":[{"id":"1","title":"a\\udc00b","content_html":"<p>\\ud83d</p>"}]}', contentType: JSON_FEED },
  // Languages, dates.
  { id: "lang-space", what: 'language "en us"', body: rss([{}], { language: "en us" }), contentType: RSS },
  { id: "lang-digit", what: 'language "7"', body: rss([{}], { language: "7" }), contentType: RSS },
  { id: "lang-markup", what: "markup as the language", body: atom([{}], { lang: '"><script>alert(1)</script>' }), contentType: ATOM },
  { id: "lang-json", what: "a number as the JSON Feed language", body: jsonFeed([{ id: "1", content_html: "<p>x</p>" }], { language: 7 }), contentType: JSON_FEED },
  { id: "date-year-minus-1", what: "a date in year -1", body: atom([{ date: "-000001-01-01T00:00:00Z" }]), contentType: ATOM },
  { id: "date-year-10000", what: "a date in year 10000", body: atom([{ date: "+010000-01-01T00:00:00Z" }]), contentType: ATOM },
  { id: "date-275760", what: "the last date JavaScript has", body: jsonFeed([{ id: "1", content_html: "<p>x</p>", date_published: "+275760-09-13T00:00:00.000Z" }]), contentType: JSON_FEED },
  { id: "date-garbage", what: "unreadable dates", body: rss([{ date: "yesterday" }, { date: "Mon, 99 Foo 2026 99:99:99 GMT" }]), contentType: RSS },
  // Sizes.
  { id: "giant-title", what: "a 0.5 MB title on every heading of 200 sections", body: rss([{ title: "T".repeat(500_000), html: Array.from({ length: 200 }, (_, k) => `<h1>${"H".repeat(2_500)}${k}</h1><p>x</p>`).join("") }]), contentType: RSS },
  { id: "many-categories", what: "10,000 categories on one item", body: rss([{ categories: Array.from({ length: 10_000 }, (_, k) => `category-${k}-${"c".repeat(100)}`) }]), contentType: RSS },
  { id: "many-items", what: "2,000 items", body: rss(Array.from({ length: 2_000 }, (_, k) => ({ guid: `g${k}`, html: `<h1>A</h1><p>${k}</p>` }))), contentType: RSS },
  { id: "deep-nesting", what: "HTML nested 20,000 deep", body: rss([{ html: "<div>".repeat(20_000) + "deep" }]), contentType: RSS },
  // XML attacks and breakage.
  {
    id: "xml-bomb",
    what: "billion laughs",
    body: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><rss version="2.0"><channel><title>&lol4;</title><link>https://hostile.example/</link><description>d</description><item><title>&lol4;</title><guid>1</guid><description>&lt;p&gt;&lol4;&lt;/p&gt;</description></item></channel></rss>`,
    contentType: RSS,
  },
  {
    id: "xxe",
    what: "an external entity",
    body: `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&x;</title><link>https://hostile.example/</link><description>d</description><item><title>&x;</title><guid>1</guid><description>x</description></item></channel></rss>`,
    contentType: RSS,
    unreadable: true,
  },
  // A body cut off (by the network, or upstream) is a failed fetch: it never replaces good data.
  { id: "truncated", what: "a feed cut off mid-item", body: rss([{}, {}, {}]).slice(0, 700), contentType: RSS, unreadable: true },
  { id: "truncated-json", what: "JSON cut off", body: jsonFeed([{ id: "1", content_html: "<p>x</p>" }]).slice(0, 60), contentType: JSON_FEED, unreadable: true },
  { id: "not-a-feed", what: "an HTML page", body: "<!doctype html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>", contentType: "text/html", unreadable: true },
  { id: "binary", what: "bytes that are no text", body: Uint8Array.from({ length: 4096 }, (_, k) => (k * 7919) & 255), contentType: "application/octet-stream", unreadable: true },
  { id: "empty", what: "an empty body", body: "", contentType: RSS, unreadable: true },
  { id: "no-items", what: "a feed with no items", body: rss([]), contentType: RSS, unreadable: true },
  { id: "long-comment-before-root", what: "a 50 KB comment before the root element", body: rss([{}], { prolog: `<?xml version="1.0"?>\n<!-- ${"x".repeat(50_000)} -->` }), contentType: RSS },
  { id: "comment-mentions-feed", what: "a comment before the root that mentions <feed> and <item>", body: rss([{}], { prolog: '<?xml version="1.0"?>\n<!-- a <feed> and an <item> here -->\n<?xml-stylesheet href="x.xsl"?>' }), contentType: RSS },
  { id: "doctype-subset", what: "a DOCTYPE with an internal subset before the root", body: rss([{}], { prolog: '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "b"> <!-- ] > -->]>' }), contentType: RSS },
  { id: "bom-blank-lines", what: "a byte order mark and blank lines before the declaration", body: `\ufeff\n\n${rss([{}])}`, contentType: RSS },
  // Charsets.
  { id: "charset-prolog-lies", what: "UTF-8 bytes, UTF-8 header, a prolog that says ISO-8859-1", body: rss([{ title: "café", html: "<h1>Café</h1><p>naïve</p>" }], { prolog: '<?xml version="1.0" encoding="ISO-8859-1"?>' }), contentType: RSS },
  { id: "charset-latin1", what: "Latin-1 bytes declared as such", body: latin1(rss([{ title: "café" }], { prolog: '<?xml version="1.0" encoding="ISO-8859-1"?>' })), contentType: "application/rss+xml" },
  { id: "charset-header-lies", what: "Latin-1 bytes served as UTF-8", body: latin1(rss([{ title: "café", html: "<h1>Café</h1><p>x</p>" }])), contentType: RSS },
  { id: "charset-unknown", what: "an encoding no decoder knows", body: rss([{}], { prolog: '<?xml version="1.0" encoding="x-klingon"?>' }), contentType: "application/rss+xml; charset=x-klingon" },
  { id: "utf16", what: "UTF-16 with its byte order mark", body: utf16le(`\ufeff${rss([{ title: "日本" }], { prolog: '<?xml version="1.0" encoding="UTF-16"?>' })}`), contentType: "application/rss+xml" },
  { id: "invalid-utf8", what: "bytes that are not UTF-8, served as UTF-8", body: withBytes(rss([{ title: "X" }]), "X", [0xff, 0xfe, 0xc3]), contentType: RSS },
  // JSON Feed fields of the wrong type.
  { id: "json-authors-string", what: 'JSON Feed "authors": "Jane"', body: jsonFeed([{ id: "1", content_html: "<p>x</p>", authors: "Jane", author: "Jane" }]), contentType: JSON_FEED },
  {
    id: "json-wrong-types",
    what: "every JSON Feed field of the wrong type",
    body: jsonFeed([{ id: { a: 1 }, url: 7, title: ["t"], content_html: { x: 1 }, content_text: 5, tags: "x", date_published: 12, authors: [null, 3, "x", { name: 4 }] }, null, 7, "item", [], { id: "ok", content_html: "<p>kept</p>" }], { title: 5, description: [], language: {} }),
    contentType: JSON_FEED,
  },
  { id: "json-items-not-array", what: "JSON Feed items that are an object", body: '{"version":"https://jsonfeed.org/version/1.1","title":"x","items":{"a":1}}', contentType: JSON_FEED, unreadable: true },
  { id: "json-proto", what: "__proto__ keys in JSON Feed", body: '{"version":"https://jsonfeed.org/version/1.1","title":"x","__proto__":{"polluted":1},"items":[{"id":"1","__proto__":{"content_html":"<script>alert(1)</script>"},"content_html":"<p>x</p>"}]}', contentType: JSON_FEED },
  // Atom oddities.
  { id: "atom-xhtml", what: "Atom xhtml content with script", body: atom([{}]).replace(/<content type="html">[\s\S]*?<\/content>/, '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><h1>A</h1><script>alert(1)</script><p onclick="x()">t</p></div></content>'), contentType: ATOM },
  { id: "atom-text-content", what: "Atom text content that looks like markup", body: atom([{}]).replace(/<content type="html">[\s\S]*?<\/content>/, "<content type=\"text\">&lt;script&gt;alert(1)&lt;/script&gt;</content>"), contentType: ATOM },
  { id: "xml-base-javascript", what: "xml:base javascript: for relative links", body: atom([{ html: '<h1>A</h1><p><a href="x">rel</a><img src="y"></p>' }]).replace("<entry>", '<entry xml:base="javascript:alert(1)//">'), contentType: ATOM },
];

function latin1(s: string): Uint8Array {
  return Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 255));
}

function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let k = 0; k < s.length; k++) {
    out[2 * k] = s.charCodeAt(k) & 255;
    out[2 * k + 1] = s.charCodeAt(k) >> 8;
  }
  return out;
}

/** `s` as UTF-8 with the first `marker` replaced by raw bytes. */
function withBytes(s: string, marker: string, bytes: number[]): Uint8Array {
  const enc = new TextEncoder();
  const at = s.indexOf(marker);
  return Uint8Array.from([...enc.encode(s.slice(0, at)), ...bytes, ...enc.encode(s.slice(at + marker.length))]);
}

/** The worker's FEEDS for the hostile project: one feed per hostile upstream. */
export const HOSTILE_CONFIG = HOSTILE_FEEDS.map((f) => ({ id: f.id, url: `https://hostile.test/${f.id}` }));
