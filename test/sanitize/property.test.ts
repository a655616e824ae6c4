/**
 * Sanitize + split on generated HTML (fast-check): markup of allowed and dropped elements,
 * hostile attributes, headings and bold paragraphs that the splitter cuts at, text with
 * references, and random strings. For every input:
 * - nothing throws, and sanitizing the output again changes nothing;
 * - the sections, and the topics, concatenated give the sanitized HTML back exactly: every text
 *   run and link is in exactly one item;
 * - every item, as served (re-opening the elements around a cut inside nested layout), is
 *   balanced HTML and holds nothing unsafe;
 * - the split is the same whether the splitter steps over top-level elements by the sanitizer's
 *   notes (`blocks`) or by reading them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8Bytes } from "../../src/lib/utf8.js";
import { sanitizeHtml, sanitizeUtf8 } from "../../src/sanitize/index.js";
import { sliceHtml, splitBytes, splitIssue } from "../../src/split/index.js";
import { unsafe } from "../hostile/unsafe.js";

const TAGS = ["p", "div", "span", "b", "strong", "em", "a", "ul", "ol", "li", "h1", "h2", "h3", "table", "tr", "td", "blockquote", "pre", "code", "img", "br", "hr",
  "script", "style", "iframe", "svg", "math", "form", "font", "center", "object", "noscript", "textarea", "title", "xmp", "template", "select", "Foo", "DIV"];
const ATTRS = ["href", "src", "class", "id", "style", "title", "onclick", "onerror", "srcset", "width", "data-x", "HREF", "srcdoc"];
const VALUES = ["https://a.example/x?y=1&amp;z=2", "javascript:alert(1)", " jav&#x09;ascript:alert(1)", "data:text/html,x", "data:image/png;base64,AA", "/rel", "#frag", "x\" onmouseover=\"y", "font-weight:bold;position:fixed", "a b", "10", "<script>", "'", ""];
const TEXTS = ["text", "Llama 3", "a < b", "&amp;", "&lt;script&gt;", "é 日本 😀", "&#1;", " ", "\n", "]]>", "<!-- c -->", "<", ">", "&", "<![CDATA[x]]>", "</", "<?x?>"];

const attribute = fc.tuple(fc.constantFrom(...ATTRS), fc.constantFrom(...VALUES), fc.constantFrom('"', "'", "")).map(([n, v, q]) => (q ? ` ${n}=${q}${v}${q}` : ` ${n}=${v.replace(/\s/g, "")}`));
const { node } = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...TEXTS),
    fc.tuple(fc.constantFrom(...TAGS), fc.array(attribute, { maxLength: 3 }), fc.array(tie("node"), { maxLength: 4 }), fc.boolean()).map(
      ([tag, attrs, children, closed]) => `<${tag}${attrs.join("")}>${children.join("")}${closed ? `</${tag}>` : ""}`,
    ),
    fc.constantFrom("<h1>Section</h1>", "<h2>Topic</h2>", "<p><strong>Bold topic</strong></p>", "<p><b>Lead</b>: note</p>"),
  ),
}));
const issue = fc.oneof(fc.array(node, { maxLength: 12 }).map((nodes) => nodes.join("")), fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 100 }));

const VOID = new Set(["area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

/** Every end tag closes the innermost open element, and nothing is left open. */
function balanced(html: string): boolean {
  const open: string[] = [];
  for (const m of html.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9]*)[^>]*>/g)) {
    const name = m[2]!.toLowerCase();
    if (m[1]) {
      if (open.pop() !== name) return false;
    } else if (!VOID.has(name)) open.push(name);
  }
  return open.length === 0;
}

describe("sanitize + split, generated HTML", () => {
  it("every item balanced and safe, covering the sanitized HTML exactly; sanitizing twice changes nothing", () => {
    fc.assert(
      fc.property(issue, (html) => {
        const clean = sanitizeHtml(html);
        expect(sanitizeHtml(clean)).toBe(clean);
        expect(balanced(clean)).toBe(true);
        expect(unsafe(clean)).toEqual([]);
        expect(clean).not.toContain("<!--");
        for (const preset of ["headings", "ainews"] as const) {
          const { sections } = splitIssue(clean, preset);
          expect(sections.map((s) => clean.slice(s.start, s.end)).join("")).toBe(clean);
          for (const s of sections) {
            expect(balanced(sliceHtml(clean, s))).toBe(true);
            expect(unsafe(sliceHtml(clean, s))).toEqual([]);
            expect(s.topics.map((t) => clean.slice(t.start, t.end)).join("")).toBe(clean.slice(s.start, s.end));
            for (const t of s.topics) expect(balanced(sliceHtml(clean, t))).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("the sanitizer's notes of the top-level elements split as reading them does", () => {
    fc.assert(
      fc.property(issue, (html) => {
        const clean = sanitizeUtf8({ bytes: utf8Bytes(html) });
        for (const preset of ["headings", "ainews"] as const) {
          expect(splitBytes(clean, preset).split).toEqual(splitBytes({ ...clean, blocks: undefined }, preset).split);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
