import { describe, expect, it } from "vitest";
import { decodeBody, ParseError, parseFeed, scanFeed, scanFeedBytes } from "../../src/parse/index.js";
import { splitIssue } from "../../src/split/index.js";
import { FIXTURES, fixtureFeed, testFile } from "../helpers.js";

const BASE = "https://fixtures.test/parse/testdata/";

describe("real upstream feeds", () => {
  it.each(FIXTURES)("$file: every item with id, title, link, date and HTML", async ({ file, items }) => {
    const feed = await fixtureFeed(file);
    expect(feed.items).toHaveLength(items);
    for (const item of feed.items) {
      expect(item.id).not.toBe("");
      expect(item.title).not.toBe("");
      expect(item.link).toMatch(/^https:\/\//);
      expect(item.date).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(item.html.length).toBeGreaterThan(10_000);
      // Entity-escaped HTML is decoded once: real tags, no escaped ones.
      expect(item.html).toMatch(/<(p|h1|h2)>/);
      expect(item.html.split("<p>").length).toBeGreaterThan(10 * item.html.split("&lt;p&gt;").length);
    }
  });

  it("Buttondown: the Apr 15 item with a U+000B control character survives whole", async () => {
    const raw = await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml");
    expect(raw).toContain("\u000b");
    const feed = await fixtureFeed("ainews-buttondown-2024-04.rss.xml");
    const apr15 = feed.items.find((i) => i.date.startsWith("2024-04-15") || i.date.startsWith("2024-04-16"))!;
    expect(apr15).toBeDefined();
    expect(apr15.html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    // The whole issue is there, up to its last Discord channel summary.
    const start = raw.lastIndexOf("<item>", raw.indexOf("\u000b"));
    const end = raw.indexOf("</item>", start);
    const lastLink = [...raw.slice(start, end).matchAll(/href=&quot;(https:[^&]+)&quot;/g)].pop()![1]!;
    expect(apr15.html).toContain(`href="${lastLink}"`);
    expect(apr15.html.length).toBeGreaterThan(200_000);
  });

  it("news.smol.ai: content:encoded wins over the summary in description; tags become categories", async () => {
    const feed = await fixtureFeed("ainews-smol-2025-2026.rss.xml");
    const first = feed.items[0]!;
    expect(first.html).toContain("<h1>AI Twitter Recap</h1>");
    expect(first.html).not.toContain("**Ox Alpha**");
    expect(first.categories).toContain("openai");
    expect(first.categories.length).toBeGreaterThan(10);
  });

  it("This Week in Rust: Atom content of type html, feed metadata", async () => {
    const feed = await fixtureFeed("twir-2026.atom.xml");
    expect(feed.format).toBe("atom");
    expect(feed.title).toBe("This Week in Rust");
    expect(feed.link).toBe("https://this-week-in-rust.org/");
    expect(feed.items[0]!.html).toContain("<h2>Updates from Rust Community</h2>");
    expect(feed.items[0]!.author).toBe("TWiR Contributors");
  });
});

describe("RSS details", () => {
  it("decodes entities and CDATA in titles, resolves relative links against the item link", async () => {
    const feed = parseFeed(await testFile("parse/testdata/relative.rss.xml"), `${BASE}relative.rss.xml`);
    expect(feed.title).toBe("Digest & Friends");
    const [a, b] = feed.items;
    expect(a!.title).toBe("Q&A – raw & literal");
    expect(a!.id).toBe("issue-7");
    expect(a!.link).toBe("https://news.example/issues/7/");
    expect(a!.author).toBe("Editor");
    expect(a!.categories).toEqual(["ai", "llama"]);
    expect(a!.date).toBe("2024-04-16T17:00:00.000Z");
    expect(a!.html).toContain('<a href="https://news.example/issues/archive/">archive</a>');
    expect(a!.html).toContain('<a href="https://news.example/issues/7/notes">notes</a>');
    expect(a!.html).toContain("&amp; <code>a &lt; b</code>"); // CDATA is literal
    // Without content:encoded, the description is the body; without a guid, the link is the id.
    expect(b!.id).toBe("https://news.example/issues/6/");
    expect(b!.html).toBe('<p>escaped &amp; <a href="https://news.example/x">x</a></p>');
  });

  it("reads a feed whose encoding is declared only in the XML prolog", async () => {
    const res = await fetch(`${BASE}latin1.rss.xml`);
    const body = decodeBody(new Uint8Array(await res.arrayBuffer()), "text/xml");
    const feed = parseFeed(body, `${BASE}latin1.rss.xml`);
    expect(feed.title).toBe("Café digest");
    expect(feed.items[0]!.title).toBe("Déjà vu");
    expect(feed.items[0]!.html).toBe("<p>naïve</p>");
  });

  it("decodes by byte order mark before anything else", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><rss/>')]);
    expect(decodeBody(bytes, "text/xml; charset=windows-1252")).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><rss/>');
  });
});

describe("Atom details", () => {
  it("honours xml:base on feed and entry, and reads html, xhtml and text content", async () => {
    const feed = parseFeed(await testFile("parse/testdata/relative.atom.xml"), `${BASE}relative.atom.xml`);
    expect(feed.title).toBe("Relative & Co");
    expect(feed.link).toBe("https://digest.example/");
    const [two, one, text] = feed.items;
    expect(two!.title).toBe("Issue <2>");
    expect(two!.link).toBe("https://digest.example/issues/2/page.html");
    expect(two!.categories).toEqual(["Rust"]);
    expect(two!.html).toContain('href="https://digest.example/issues/2/notes.html"');
    expect(two!.html).toContain('src="https://digest.example/issues/img/a.png"');
    expect(two!.html).toContain('href="https://abs.example/x?a=1&amp;b=2"'); // absolute: untouched
    expect(one!.title).toBe("Issue 1");
    expect(one!.date).toBe("2026-01-01T00:00:00.000Z"); // published wins over updated
    expect(one!.html).toBe('<h2>Two</h2><p>Fish &amp; chips <a href="https://digest.example/issues/1/#frag">here</a></p>');
    expect(text!.html).toBe("<p>Line one &lt;not a tag&gt;</p>\n<p>Second paragraph</p>");
  });
});

describe("JSON Feed", () => {
  it("reads content_html, else content_text, with ids, dates, tags and authors", async () => {
    const feed = parseFeed(await testFile("parse/testdata/feed.json"), `${BASE}feed.json`);
    expect(feed.format).toBe("json");
    expect(feed.language).toBe("fr");
    const [two, one] = feed.items;
    expect(two!.link).toBe("https://json.example/issues/2");
    expect(two!.html).toBe('<h2>A</h2><p><a href="https://json.example/issues/b">b</a></p>');
    expect(two!.date).toBe("2026-02-02T07:00:00.000Z");
    expect(two!.author).toBe("Ana");
    expect(two!.categories).toEqual(["x"]);
    expect(one!.id).toBe("1");
    expect(one!.html).toBe("<p>Hello &lt;world&gt;</p>\n<p>Bye</p>");
  });
});

describe("bodies that are not feeds", () => {
  it.each([
    ["<!DOCTYPE html><html><head><title>x</title></head><body><p>hi</p></body></html>", /not a feed|not well-formed/],
    ['{"hello": "world"}', /JSON Feed version/],
    ["{not json", /not valid JSON/],
    ["Service Unavailable", /not a feed/],
    ['<?xml version="1.0"?><opml version="2.0"><body/></opml>', /root element <opml>/],
  ])("%j is refused with a reason", (body, reason) => {
    expect(() => parseFeed(body, BASE)).toThrow(ParseError);
    expect(() => parseFeed(body, BASE)).toThrow(reason);
  });
});

describe("entries are found without parsing the feed", () => {
  it("markup inside CDATA or comments is not an entry boundary; <items> is not <item>", () => {
    const xml = `<?xml version="1.0"?><rdf:RDF><channel><title>T</title><link>https://e.example/</link><items><rdf:Seq/></items></channel>
<!-- <item><title>commented</title></item> -->
<item><title>One</title><link>https://e.example/1</link><description><![CDATA[<p>An article about RSS: </item> and <item> are tags.</p>]]></description></item>
<item ><title>Two</title><link>https://e.example/2</link></item></rdf:RDF>`;
    const source = scanFeed(xml, "https://e.example/feed");
    expect(source.head.title).toBe("T");
    expect(source.entries).toHaveLength(2);
    const [one, two] = source.entries.map((e) => e.parse());
    expect(one!.html).toBe("<p>An article about RSS: </item> and <item> are tags.</p>");
    expect(two!.title).toBe("Two");
    expect(parseFeed(xml, "https://e.example/feed").items.map((i) => i.title)).toEqual(["One", "Two"]);
  });

  it("gives each entry a hash of its source text, stable across calls", async () => {
    const body = await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml");
    const a = scanFeed(body, BASE).entries.map((e) => e.hash);
    const b = scanFeed(body.replace("Llama-3-70b is GPT-4-level Open Model", "Llama 3 70b"), BASE).entries.map((e) => e.hash);
    expect(new Set(a).size).toBe(5);
    expect(b.filter((h, i) => h !== a[i])).toHaveLength(1);
  });
});

describe("reading from the response bytes", () => {
  const files = [...FIXTURES.map((f) => `fixtures/upstream/${f.file}`), "parse/testdata/relative.rss.xml", "parse/testdata/relative.atom.xml", "parse/testdata/latin1.rss.xml", "parse/testdata/feed.json"];

  it.each(files)("%s: the same feed as from the decoded text", async (path) => {
    const bytes = new Uint8Array(await (await fetch(`https://fixtures.test/${path}`)).arrayBuffer());
    const url = `https://fixtures.test/${path}`;
    expect(parseFeed(bytes, url)).toEqual(parseFeed(decodeBody(bytes, "application/xml"), url));
  });

  it("entity references, CDATA and forbidden characters in an entry body", () => {
    const body =
      "&lt;p&gt;a &amp;amp; b &#x1F600; &#233; &#0; &#11; &#xFFFE; &bogus; &#; &#x110000;&lt;/p&gt;" +
      "\u000b<![CDATA[<b>literal &amp; \u0001 ]] ]]>&lt;i&gt;\uFFFF";
    const xml = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>https://e.example/</link><item><title>One</title><link>https://e.example/1</link><description>${body}</description></item></channel></rss>`;
    const bytes = new TextEncoder().encode(xml);
    const fromBytes = parseFeed(bytes, "https://e.example/feed");
    expect(fromBytes).toEqual(parseFeed(xml, "https://e.example/feed"));
    expect(fromBytes.items[0]!.html).toBe("<p>a &amp; b \u{1F600} é \uFFFD   &bogus; &#; \uFFFD</p><b>literal &amp;  ]] <i>");
  });

  it.each([
    ["relative links after non-ASCII text", "<p>héllo 😀 <a href=\"/x\">x</a> <img src='y.png'> <a  href = \"z\">z</a> <q cite=\"c\">q</q></p>"],
    ["absolute links only", '<p>😀 <a href="https://a.example/?q=1&amp;r=2">a</a> <a href="mailto:x@y.z">m</a></p>'],
    ["a relative value in text, not in a tag", "<p>write href=foo or src = 'bar'</p><p>ü</p>"],
    ["a non-ASCII space around =", '<p><a href\u00a0=\u00a0"/nbsp">n</a> <a title="x>y" href="/after-gt">t</a></p>'],
    ["two relative values in one tag, either order", '<video poster="p.png" src="v.mp4"></video><img src="a.png" alt="" srcset="x" poster="b.png">'],
  ])("%s: links made absolute as from the decoded text", (_, html) => {
    const escaped = html.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    const xml = `<rss version="2.0"><channel><title>T</title><link>https://e.example/</link><item><link>https://e.example/issues/1/</link><description>${escaped}</description></item><item><link>https://e.example/issues/2/</link><description><![CDATA[${html}]]></description></item></channel></rss>`;
    const fromBytes = parseFeed(new TextEncoder().encode(xml), "https://e.example/feed");
    expect(fromBytes).toEqual(parseFeed(xml, "https://e.example/feed"));
    if (html.includes("<video")) {
      // Both relative values of each tag rewritten, in both items.
      for (const item of fromBytes.items) expect(item.html.match(/(?:src|poster)="[^"]*"/g)).toEqual(['poster="https://e.example/issues/' + item.link.slice(-2) + 'p.png"', 'src="https://e.example/issues/' + item.link.slice(-2) + 'v.mp4"', 'src="https://e.example/issues/' + item.link.slice(-2) + 'a.png"', 'poster="https://e.example/issues/' + item.link.slice(-2) + 'b.png"']);
    }
  });

  it("invalid UTF-8 in an entry body reads as the decoded text does, and its bytes are valid UTF-8", () => {
    const head = new TextEncoder().encode('<rss version="2.0"><channel><title>T</title><link>https://e.example/</link><item><link>https://e.example/1</link><description>&lt;p&gt;a');
    const tail = new TextEncoder().encode("&lt;/p&gt;</description></item></channel></rss>");
    // A stray continuation byte, a cut sequence, an overlong "/", a surrogate, U+FFFF, one past U+10FFFF.
    const bad = [0x80, 0x20, 0xe2, 0x82, 0x20, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xef, 0xbf, 0xbf, 0xf4, 0x90, 0x80, 0x80, 0x20, 0xc3, 0xa9];
    const bytes = new Uint8Array([...head, ...bad, ...tail]);
    const fromBytes = parseFeed(bytes, "https://e.example/feed");
    expect(fromBytes).toEqual(parseFeed(decodeBody(bytes, "application/xml"), "https://e.example/feed"));
    const item = fromBytes.items[0]!;
    expect(item.html).toContain("\uFFFD");
    expect(item.html.endsWith("é</p>")).toBe(true);
    expect(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(item.utf8?.bytes)).toBe(item.html);
  });

  // (Not relative.atom.xml: its text and xhtml bodies become HTML as strings.)
  it.each([...FIXTURES.map((f) => `fixtures/upstream/${f.file}`), "parse/testdata/relative.rss.xml"])("%s: each entry's HTML is kept as its UTF-8 bytes", async (path) => {
    const bytes = new Uint8Array(await (await fetch(`https://fixtures.test/${path}`)).arrayBuffer());
    let noted = 0;
    for (const item of parseFeed(bytes, `https://fixtures.test/${path}`).items) {
      expect(item.utf8?.bytes).toBeDefined();
      const b = item.utf8!.bytes;
      expect(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(b)).toBe(item.html);
      // What the decoder noted, carried over any rewritten links: every "<", every multi-byte character.
      if (!item.utf8!.lt) continue;
      noted++;
      const lt: number[] = [];
      const wide: number[] = [];
      for (let k = 0; k < b.length; k++) {
        if (b[k] === 60) lt.push(k);
        if (b[k]! >= 0xc0) wide.push(k, b[k]! < 0xe0 ? 1 : 2);
      }
      expect([...item.utf8!.lt]).toEqual(lt);
      expect([...item.utf8!.wide!]).toEqual(wide);
    }
    expect(noted).toBeGreaterThan(0);
  });

  it("what the decoder noted moves with rewritten links: tags and multi-byte characters before, inside and after them", () => {
    const html = '<p>é 😀</p><a title="café ☕ 😀" href="/one">ü</a><img alt="ß" src=\'two.png\' title="→"><p>😀 end</p><a href="https://abs.example/">ok</a>';
    const escaped = html.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const bytes = new TextEncoder().encode(`<rss version="2.0"><channel><link>https://e.example/</link><item><link>https://e.example/1</link><description>${escaped}</description></item></channel></rss>`);
    const [item] = parseFeed(bytes, "https://e.example/feed").items;
    expect(item!.html).toBe(html.replace('href="/one"', 'href="https://e.example/one"').replace("src='two.png'", 'src="https://e.example/two.png"'));
    const b = item!.utf8!.bytes;
    const lt: number[] = [];
    const wide: number[] = [];
    for (let k = 0; k < b.length; k++) {
      if (b[k] === 60) lt.push(k);
      if (b[k]! >= 0xc0) wide.push(k, b[k]! < 0xe0 ? 1 : 2);
    }
    expect([...item!.utf8!.lt!]).toEqual(lt);
    expect([...item!.utf8!.wide!]).toEqual(wide);
    expect(splitIssue(b, "headings")).toEqual(splitIssue(item!.html, "headings"));
  });

  it("entries are hashed as bytes: an edit changes one hash, the others stay", async () => {
    const body = await testFile("fixtures/upstream/ainews-buttondown-2024-04.rss.xml");
    const hashes = (s: string) => [...scanFeedBytes(new TextEncoder().encode(s), null, BASE).entries].map((e) => e.hash);
    const a = hashes(body);
    const b = hashes(body.replace("Llama-3-70b is GPT-4-level Open Model", "Llama 3 70b"));
    expect(new Set(a).size).toBe(5);
    expect(b.filter((h, i) => h !== a[i])).toHaveLength(1);
  });
});
