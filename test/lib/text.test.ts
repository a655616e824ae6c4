import { describe, expect, it } from "vitest";
import { collapseWhitespace, htmlBytesToText, htmlToText, slugify } from "../../src/lib/text.js";
import { toUtf16Offsets, utf8Bytes } from "../../src/lib/utf8.js";
import { fixtureFeed } from "../helpers.js";

/** The slug as plain string operations give it: what slugify computes character by character. */
const slugOf = (text: string, max = 60) => {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return slug.length > max ? slug.slice(0, max).replace(/-+$/, "") : slug;
};

describe("slugify", () => {
  it.each([
    "Meta Llama 3 Release",
    "HuggingFace ▷ #gradio-announcements",
    "  --Leading and trailing--  ",
    "Café Crème: naïve façade",
    "ÉLAN VITAL ÆON Øre",
    "中文标题 with English",
    "emoji 🔥🔥 in 😀 the middle",
    "™ ① ﬁne print",
    "ΣΙΣΥΦΟΣ ΟΔΟΣ",
    "한국어 제목",
    "lone \ud800 surrogate \udc00 here",
    "UPPER lower MiXeD 123 4five",
    "a".repeat(70) + " tail",
    "x-".repeat(40),
    "",
    "!!!",
  ])("%j", (text) => {
    expect(slugify(text)).toBe(slugOf(text));
  });
});

describe("htmlToText", () => {
  it.each([
    ["<strong>Bold</strong> (12 messages🔥): ", "Bold (12 messages🔥):"],
    ["one\u00a0 two\n\tthree", "one two three"],
    ["<p>a</p><p>b</p>", "a b"],
    ["already clean", "already clean"],
    [" padded ", "padded"],
    ["trailing ", "trailing"],
    ["a &amp; b &lt;c&gt;", "a & b <c>"],
  ])("%j", (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe("htmlBytesToText", () => {
  const cases = [
    "<strong>Bold</strong> (12 messages🔥): ",
    'Modular (Mojo 🔥) ▷ #<a href="https://discord.com/channels/1/2/">📰︱newsletter</a>',
    "<p>a</p><P>b</P><br/>c<BR>d<hr>e<h3>f</h3><td>g</td><blockquote>h</blockquote><table>i</table>",
    "<em>inline</em><code>x</code><h7>h7 is no block</h7><pre_x>y</pre_x><a_b>z</a_b>",
    "GPT&#39;s &amp; Claude&#x27;s &lt;tags&gt; &nbsp;&copy; &unknown; & alone",
    "a <!-- <b>comment</b> --> b",
    '<a title="x<y">inside</a> after',
    "text < 3 and 4 > 2, <3 hearts, </ 5>",
    "unclosed <b tag at the end",
    "unclosed <b tag, then &amp; and\u00a0 a space beyond ASCII",
    "<b>unclosed at the end <",
    "<",
    "",
    "plain\ttext\n\u00a0with\u3000spaces ",
    "<!doctype html> after",
    "</>empty end tag</ >",
    "<p> lead </p>  <br>  mid\t\n  <li>\u00a0 x \u2003</li>  ",
    " \u00a0 <b>a</b>&nbsp; b &#32;&#10; c&#x3000;",
    "<div>only blocks</div><p></p>",
  ];
  it.each(cases)("%j as bytes gives what htmlToText gives", (html) => {
    const bytes = new TextEncoder().encode(`xx${html}yy`);
    expect(htmlBytesToText(bytes, 2, bytes.length - 2)).toBe(htmlToText(html));
  });

  it("gives what htmlToText gives on pieces of real issues", async () => {
    const html = (await fixtureFeed("ainews-buttondown-2024-04.rss.xml")).items.map((i) => i.html).join("");
    const bytes = new TextEncoder().encode(html);
    let checked = 0;
    // Pieces between ASCII bytes, of every length up to 2,000 bytes, from "<" and from text.
    for (let start = 0; start < bytes.length && checked < 400; start += 2011) {
      let from = start;
      while (bytes[from]! >= 0x80) from++;
      for (const length of [1, 7, 60, 333, 2000]) {
        let to = Math.min(from + length, bytes.length);
        while (to < bytes.length && bytes[to]! >= 0x80) to++;
        const piece = new TextDecoder().decode(bytes.subarray(from, to));
        expect(htmlBytesToText(bytes, from, to)).toBe(htmlToText(piece));
        checked++;
      }
    }
    expect(checked).toBe(400);
  });
});

describe("collapseWhitespace", () => {
  it.each(["", " ", "a", " a ", "a  b", "a \t\n b", "\u00a0a\u00a0\u00a0b\u3000", "a\u2028b", "x y z", "  lead", "trail  ", "a \u00a0b", "\ufeffa\u200ab"])("%j", (s) => {
    expect(collapseWhitespace(s)).toBe(s.replace(/\s+/g, " ").trim());
  });
});

describe("toUtf16Offsets", () => {
  it("counts 2-, 3- and 4-byte characters, with or without the decoder's list of them", () => {
    const text = "aé中😀b<p>ü</p>";
    const bytes = utf8Bytes(text);
    const offsets = [0, 1, 3, 6, 10, 11, 14, bytes.length];
    const expected = offsets.map((p) => new TextDecoder().decode(bytes.subarray(0, p)).length);
    expect(toUtf16Offsets({ bytes }, [...offsets])).toEqual(expected);
    const wide = new Int32Array([1, 1, 3, 2, 6, 2, 14, 1]);
    expect(toUtf16Offsets({ bytes, wide }, [...offsets])).toEqual(expected);
  });
});
