import { describe, expect, it } from "vitest";
import { splitIssue } from "../../src/split/index.js";
import { checkTranslation, protectedWords } from "../../src/translate/check.js";
import { compact, planItem, planRange, restore } from "../../src/translate/plan.js";
import { fixtureFeed } from "../helpers.js";
import { dropFirstLink, fakeTranslate } from "./stub.js";

const text = (html: string, p: { start: number; end: number }) => html.slice(p.start, p.end);

describe("planning units", () => {
  it("covers every AINews issue exactly, units of whole elements within the size, shared by all views", async () => {
    const feed = await fixtureFeed("ainews-buttondown-2024-04.rss.xml");
    for (const issue of feed.items) {
      const split = splitIssue(issue.html, "ainews");
      const pieces = planItem(issue.html, split, 0, issue.html.length);
      expect(pieces.map((p) => text(issue.html, p)).join("")).toBe(issue.html);
      const units = pieces.filter((p) => p.unit);
      expect(units.length).toBeGreaterThan(100);
      for (const u of units) {
        const src = text(issue.html, u);
        expect(src.length).toBeLessThanOrEqual(4000);
        expect(src).toBe(src.trim());
        // Whole elements only: restoring the compacted unit gives it back byte for byte.
        const c = compact(src);
        expect(restore(c.text, c.tags)).toBe(src);
      }
      // A section's and a topic's units are the issue's units in that range.
      const key = (p: { start: number; end: number; unit: boolean }) => `${p.start}-${p.end}-${p.unit}`;
      const all = new Set(pieces.map(key));
      for (const s of split.sections) {
        for (const p of planItem(issue.html, split, s.start, s.end)) expect(all.has(key(p))).toBe(true);
        for (const t of s.topics) for (const p of planItem(issue.html, split, t.start, t.end)) expect(all.has(key(p))).toBe(true);
      }
    }
  });

  it("opens an element too big for one unit and packs its children; never cuts inside one", () => {
    const li = (i: number) => `<li>Item ${i} about <a href="https://example.com/${i}">a link</a> and more words here.</li>`;
    const html = `<ul>${Array.from({ length: 40 }, (_, i) => li(i)).join("")}</ul><p>Tail paragraph.</p>`;
    const pieces = planRange(html, 0, html.length, 500);
    expect(pieces.map((p) => text(html, p)).join("")).toBe(html);
    expect(text(html, pieces[0]!)).toBe("<ul>");
    const units = pieces.filter((p) => p.unit).map((p) => text(html, p));
    expect(units.length).toBeGreaterThan(5);
    for (const u of units.slice(0, -1)) expect(u).toMatch(/^(<li>.*?<\/li>)+$/);
    expect(units.at(-1)).toBe("<p>Tail paragraph.</p>");
  });

  it("sends no markup-only or code-only runs", () => {
    const html = `<p><img src="a.png"></p><pre><code>const x = 1;</code></pre><p>Words.</p>`;
    const units = planRange(html, 0, html.length, 30).filter((p) => p.unit);
    expect(units.map((p) => text(html, p))).toEqual(["<p>Words.</p>"]);
  });
});

describe("compacting", () => {
  it("replaces attributes and code with numbered placeholders, and puts them back", () => {
    const src = `<p>See <a href="https://x.com/a?b=1&amp;c=2" target="_blank">@omarsar0</a> on <code>torch.compile()</code>.</p><pre class="x"><code>x &lt; 1</code></pre>`;
    const c = compact(src);
    expect(c.text).toBe(`<p>See <a i="0">@omarsar0</a> on <code i="1"></code>.</p><pre i="2"></pre>`);
    expect(restore(c.text, c.tags)).toBe(src);
    // Reordered placeholders come back to their own originals.
    const moved = `<p>在 <code i="1"></code> 上，见 <a i="0">@omarsar0</a>。</p><pre i="2"></pre>`;
    expect(restore(moved, c.tags)).toBe(`<p>在 <code>torch.compile()</code> 上，见 <a href="https://x.com/a?b=1&amp;c=2" target="_blank">@omarsar0</a>。</p><pre class="x"><code>x &lt; 1</code></pre>`);
  });
});

describe("checking answers", () => {
  const src = `<p>Meta released <a i="0">Llama-3-70B</a>, says <a i="1">@karpathy</a>; see https://ai.meta.com/blog and <b>GPT-4o</b>.</p>`;

  it("accepts a translation that keeps structure, even with inline elements moved", () => {
    expect(checkTranslation(src, fakeTranslate(src, "zh"))).toBeNull();
    expect(checkTranslation(src, `<p><a i="1">@karpathy</a> 说，Meta 发布了 <a i="0">Llama-3-70B</a>；见 https://ai.meta.com/blog 和 <b>GPT-4o</b>。</p>`)).toBeNull();
  });

  it("rejects a lost link, a new or changed tag, unbalanced tags, changed names, and an untranslated echo", () => {
    expect(checkTranslation(src, dropFirstLink(fakeTranslate(src, "zh")))).toMatch(/lost/);
    expect(checkTranslation(src, fakeTranslate(src, "zh").replace(`<a i="0">`, `<a href="https://evil.example">`))).toMatch(/tag/);
    expect(checkTranslation(src, fakeTranslate(src, "zh").replace("</b>", "") + "</b>")).toMatch(/unbalanced/);
    expect(checkTranslation(src, fakeTranslate(src, "zh").replace("@karpathy", "@卡帕西"))).toMatch(/@karpathy/);
    expect(checkTranslation(src, fakeTranslate(src, "zh").replace("GPT-4o", "GPT 4o"))).toMatch(/GPT-4o/);
    expect(checkTranslation(src, src)).toMatch(/untranslated/);
    expect(checkTranslation(src, "  ")).toMatch(/empty/);
  });

  it("finds handles, URLs and names with digits, not plain words or numbers", () => {
    expect(protectedWords("Meta's Llama-3-70B beat GPT-4 on 5 of 7, per @omarsar0 (https://x.com/y) in 2024 Q1")).toEqual(
      expect.arrayContaining(["@omarsar0", "https://x.com/y", "Llama-3-70B", "GPT-4"]),
    );
    expect(protectedWords("Meta's model beat 5 of 7 in 2024")).toEqual([]);
  });
});
