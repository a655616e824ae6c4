import { describe, expect, it } from "vitest";
import { parseSimpleXml } from "../../src/parse/fragment.js";
import { parseXml } from "../../src/parse/xml.js";
import { FIXTURES, testFile } from "../helpers.js";

/** What the parser gives, or how it fails. */
function parsed(src: string): unknown {
  try {
    return parseXml(src);
  } catch (e) {
    return `throws: ${(e as Error).message}`;
  }
}

const FILES = [...FIXTURES.map((f) => `fixtures/upstream/${f.file}`), "parse/testdata/relative.rss.xml", "parse/testdata/relative.atom.xml", "parse/testdata/latin1.rss.xml"];
const BODIES = /(<(description|content:encoded|content|summary)(?:\s[^>]*)?>)[\s\S]*?(<\/\2>)/g;

describe("an entry's XML read without the parser", () => {
  it("gives the parser's output for every entry of every fixture, whole and with its bodies cut out, and for their heads", async () => {
    let read = 0;
    for (const file of FILES) {
      const xml = await testFile(file);
      // The head, as the refresh reads it: from the first "<" to the first entry, and after the last.
      const first = xml.search(/<(item|entry)[\s>]/);
      const last = Math.max(xml.lastIndexOf("</item>"), xml.lastIndexOf("</entry>"));
      const head = xml.slice(xml.indexOf("<"), first) + xml.slice(xml.indexOf(">", last) + 1);
      const fast = parseSimpleXml(head);
      expect(fast, `${file}: its head`).toBeDefined();
      expect(fast).toEqual(parsed(head));
      for (const [entry] of xml.matchAll(/<(item|entry)[\s>][\s\S]*?<\/\1>/g)) {
        // As the refresh gives it (its bodies are decoded from bytes), and whole.
        for (const src of [entry.replace(BODIES, "$1$3"), entry]) {
          const fast = parseSimpleXml(src);
          expect(fast, `${file}: ${src.slice(0, 80)}`).toBeDefined();
          expect(fast).toEqual(parsed(src));
          read++;
        }
      }
    }
    expect(read).toBe(2 * (5 + 10 + 4 + 22 + 2 + 3 + 1));
  });

  it.each([
    ["attributes: spaces around =, either quote, > and references in values, a line end in one", `<item><guid isPermaLink = "false">a</guid><x a='1>2' b="a&amp;b" c="x\ny" d="">t</x></item>`],
    ["empty and self-closing elements, with and without attributes", `<item><x/><y /><z a="1"/><w a="1" /><v a="1"></v><guid isPermaLink="true"></guid><e></e></item>`],
    ["a repeated name becomes a list; item, entry, category and link always are", `<item><x>1</x><x a="2">3</x><x>4</x><category>c</category><n><link>l</link></n></item>`],
    ["nested elements, whitespace between them kept as the parser keeps it", `<entry>\n <author a="1">\n  <name>N</name>\n </author>\n <link href="h"/>\n</entry>`],
    ["stop nodes: raw markup and references, attributes, empty, only spaces", `<entry><title type="html">&lt;b&gt;x<![CDATA[<i>]]></title><content type="html"></content><summary>  </summary><title>2</title></entry>`],
    ["CR and CRLF line ends, in text, between elements and in attribute values", `<item>\r<x a="1\r\n2\r3">a\rb\r\n\r\nc</x>\r\n</item>`],
    ["names with prefixes, dots, hyphens and digits; an end tag with a space", `<item xml:base="/a/"><dc:creator>A</dc:creator><a.b-c1>1</a.b-c1><x>a > b</x ></item >`],
    ["text with references the parser keeps as they are", `<item><x>&#8211; &unknown; &amp;</x></item>`],
    ["a root with trailing whitespace", `<item><x>1</x></item>\n  `],
    ["a root after the XML declaration", `<?xml version="1.0" encoding="UTF-8"?>\n\n<rss version="2.0"><channel><title>T</title></channel></rss>\n`],
  ])("reads %s as the parser does", (_, src) => {
    const fast = parseSimpleXml(src);
    expect(fast).toBeDefined();
    expect(fast).toEqual(parsed(src));
  });

  it.each([
    ["text beside elements", `<item>text<x>1</x></item>`],
    ["an element after text", `<item><x/>tail</item>`],
    ["CDATA outside a stop node", `<item><x><![CDATA[c]]></x></item>`],
    ["a comment", `<item><!-- c --><x>1</x></item>`],
    ["a processing instruction", `<item><?pi x?><x>1</x></item>`],
    ["a stylesheet after the declaration", `<?xml version="1.0"?>\n<?xml-stylesheet href="/s.xsl"?>\n<rss/>`],
    ["a comment after the declaration", `<?xml version="1.0"?><!-- c --><rss/>`],
    ["a doctype", `<?xml version="1.0"?><!DOCTYPE rss><rss/>`],
    ["a mismatched end tag", `<item><x>1</y></item>`],
    ["an unclosed element", `<item><x>1</x>`],
    ["a repeated attribute", `<item><x a="1" a="2">t</x></item>`],
    ["an attribute without a value", `<item><x checked>t</x></item>`],
    ["attributes without a space between them", `<item><x a="1"b="2">t</x></item>`],
    ["a stop node holding its own name", `<item><title>a<title>b</title>c</title></item>`],
    ["a stop node holding its own name, unclosed", `<item><title>a<title>b</title></item>`],
    ["names the parser renames or refuses", `<item><toString>2</toString></item>`],
    ["a constructor", `<item><constructor>1</constructor></item>`],
    ["a name that is not one", `<item><1x>1</1x></item>`],
    ["whitespace before the root", `  <item><x>1</x></item>`],
    ["a second root", `<item/><item/>`],
  ])("leaves %s to the parser", (_, src) => {
    expect(parseSimpleXml(src)).toBeUndefined();
  });

  it("leaves deep nesting to the parser, without a stack overflow", () => {
    const deep = (n: number) => `<item>${"<x>".repeat(n)}1${"</x>".repeat(n)}</item>`;
    expect(parseSimpleXml(deep(32))).toEqual(parsed(deep(32)));
    expect(parseSimpleXml(deep(33))).toBeUndefined();
    expect(parseSimpleXml(deep(100_000))).toBeUndefined();
  });

  it("never sets a prototype from a name", () => {
    expect(parseSimpleXml(`<item><__proto__><polluted>1</polluted></__proto__></item>`)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
