import { describe, expect, it } from "vitest";
import { collapseWhitespace, htmlToText, slugify } from "../../src/lib/text.js";
import { toUtf16Offsets, utf8Bytes } from "../../src/lib/utf8.js";

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
