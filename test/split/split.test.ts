import { describe, expect, it } from "vitest";
import { htmlToText, slugify } from "../../src/lib/text.js";
import { utf8Bytes } from "../../src/lib/utf8.js";
import { parseFeed } from "../../src/parse/index.js";
import { sanitizeUtf8 } from "../../src/sanitize/index.js";
import { sliceAnchor, splitBytes, splitIssue, TitleCache } from "../../src/split/index.js";
import { scanMarks } from "../../src/split/scan.js";
import { FIXTURES, fixtureFeed, hrefs } from "../helpers.js";

/** Tags of a piece of HTML (start and end tags), outside comments. */
const tags = (html: string) => html.replace(/<!--[\s\S]*?-->/g, "").match(/<\/?[a-zA-Z][^>]*>/g) ?? [];

describe.each(FIXTURES)("$file: nothing lost, nothing duplicated", ({ file, preset }) => {
  it("sections and topics cover each issue exactly, in order", async () => {
    const feed = await fixtureFeed(file);
    for (const item of feed.items) {
      const { sections } = splitIssue(item.html, preset);
      expect(sections.map((s) => item.html.slice(s.start, s.end)).join("")).toBe(item.html);
      for (const s of sections) {
        expect(s.topics.map((t) => item.html.slice(t.start, t.end)).join("")).toBe(item.html.slice(s.start, s.end));
      }
    }
  });

  it("every link and every tag of an issue appears exactly once across its section items and its topic items", async () => {
    const feed = await fixtureFeed(file);
    for (const item of feed.items) {
      const { sections } = splitIssue(item.html, preset);
      const sectionHtml = sections.map((s) => item.html.slice(s.start, s.end));
      const topicHtml = sections.flatMap((s) => s.topics.map((t) => item.html.slice(t.start, t.end)));
      for (const slices of [sectionHtml, topicHtml]) {
        expect(slices.flatMap(hrefs)).toEqual(hrefs(item.html));
        expect(slices.flatMap(tags)).toEqual(tags(item.html));
      }
      // Every slice starts at a heading or a topic heading (or the top of the issue): no cut mid-element.
      for (const s of sections) expect(s.start === 0 || /^<h[1-6][\s>]/.test(item.html.slice(s.start, s.start + 4))).toBe(true);
    }
  });

  it("ids are unique within an issue and its sections", async () => {
    const feed = await fixtureFeed(file);
    for (const item of feed.items) {
      const { sections } = splitIssue(item.html, preset);
      const ids = sections.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const s of sections) expect(new Set(s.topics.map((t) => t.id)).size).toBe(s.topics.length);
    }
  });
});

describe.each(FIXTURES)("$file: split from the UTF-8 bytes", ({ file, preset }) => {
  it("offsets are UTF-16 offsets of the string: every cut falls on a tag, the length is the string's", async () => {
    const feed = await fixtureFeed(file);
    let nonAscii = 0;
    for (const item of feed.items) {
      const { split, length } = splitBytes({ bytes: new TextEncoder().encode(item.html) }, preset);
      expect(length).toBe(item.html.length);
      const starts = split.sections.flatMap((s) => [s.start, ...s.topics.map((t) => t.start)]).filter((at) => at > 0);
      for (const at of starts) expect(item.html[at]).toBe("<");
      if (/[^\x00-\x7f]/.test(item.html.slice(0, starts[starts.length - 1]))) nonAscii++;
    }
    // The fixtures have non-ASCII text (emoji too) before their cuts: offsets in bytes would be off.
    expect(nonAscii).toBeGreaterThan(0);
  });

  it("with what the decoder noted (tags, multi-byte characters), the same split as from the HTML alone", async () => {
    const bytes = new Uint8Array(await (await fetch(`https://fixtures.test/fixtures/upstream/${file}`)).arrayBuffer());
    const titles = new TitleCache();
    let noted = 0;
    for (const item of parseFeed(bytes, "https://fixtures.test/").items) {
      // (An issue whose relative links were rewritten has its bytes only: the splitter scans them.)
      if (item.utf8?.lt && item.utf8.wide) noted++;
      const { split, length } = splitBytes(item.utf8!, preset, { titles });
      expect(length).toBe(item.html.length);
      expect(split).toEqual(splitIssue(item.html, preset));
      // The shared slugs are each topic's own.
      for (const t of split.sections.flatMap((s) => s.topics)) {
        const slug = slugify(t.title);
        if (slug) expect(t.id === slug || t.id.startsWith(`${slug}-`) || t.id === split.sections.find((s) => s.topics.includes(t))!.id).toBe(true);
      }
    }
    expect(noted).toBeGreaterThan(0);
  });

  it("sanitized, with the sanitizer's notes of its top-level elements, the same split as reading them", async () => {
    const feed = await fixtureFeed(file);
    for (const item of feed.items) {
      const clean = sanitizeUtf8(item.utf8 ?? { bytes: utf8Bytes(item.html) });
      expect(clean.blocks!.length).toBeGreaterThan(0);
      expect(splitBytes(clean, preset).split).toEqual(splitBytes({ ...clean, blocks: undefined }, preset).split);
    }
  });
});

describe("AINews sections", () => {
  it("2024 (Buttondown): stable ids for every section of every issue", async () => {
    const feed = await fixtureFeed("ainews-buttondown-2024-04-month.rss.xml");
    const seen = new Set(feed.items.flatMap((i) => splitIssue(i.html, "ainews").sections.map((s) => s.id)));
    expect([...seen].sort()).toEqual(["discord", "discord-channels", "discord-servers", "intro", "reddit", "twitter"]);
  });

  it("2024-04-18 (Meta Llama 3): sections in order, Twitter topics from bold paragraphs, Discord servers from h2", async () => {
    const feed = await fixtureFeed("ainews-buttondown-2024-04.rss.xml");
    const issue = feed.items.find((i) => i.title === "Meta Llama 3 (8B, 70B)")!;
    const { sections } = splitIssue(issue.html, "ainews");
    expect(sections.map((s) => s.id)).toEqual(["intro", "reddit", "twitter", "discord", "discord-servers", "discord-channels"]);
    const twitter = sections.find((s) => s.id === "twitter")!;
    expect(twitter.title).toBe("AI Twitter Recap");
    expect(twitter.topics.map((t) => t.title)).toEqual([
      "Meta Llama 3 Release",
      "Open Source LLM Developments",
      "AI Agents and RAG (Retrieval-Augmented Generation)",
      "AI Courses and Education",
      "Miscellaneous",
    ]);
    // The section heading and its one-line note lead into the first topic.
    expect(issue.html.startsWith("<h1>AI Twitter Recap</h1>", twitter.topics[0]!.start)).toBe(true);
    const servers = sections.find((s) => s.id === "discord-servers")!;
    expect(servers.topics).toHaveLength(26);
    expect(servers.topics[0]!.title).toBe("Perplexity AI Discord");
    // Per-channel summaries: bold-led paragraphs with a message count.
    const channels = sections.find((s) => s.id === "discord-channels")!;
    expect(channels.topics.length).toBeGreaterThan(100);
    expect(channels.topics[0]!.title).toBe("Perplexity AI ▷ #general");
    expect(channels.topics[1]!.title).toBe("Perplexity AI ▷ #sharing");
  });

  it("2025–2026 (news.smol.ai): renamed Discord sections, no-Discord issues, editorial intro", async () => {
    const feed = await fixtureFeed("ainews-smol-2025-2026.rss.xml");
    const ids = feed.items.map((i) => splitIssue(i.html, "ainews").sections.map((s) => s.id).join(" "));
    expect(ids).toContain("intro twitter reddit"); // no Discord at all
    expect(ids).toContain("intro twitter reddit discord"); // 2026: "AI Discords"
    expect(ids).toContain("intro twitter reddit discord discord-servers discord-channels"); // 2025
    const reddit = splitIssue(feed.items[0]!.html, "ainews").sections.find((s) => s.id === "reddit")!;
    expect(reddit.topics.map((t) => t.title)).toEqual(["/r/LocalLlama + /r/localLLM Recap", "Less Technical AI Subreddit Recap"]);
  });

  it("an unknown AINews section falls back to its slug", () => {
    const { sections } = splitIssue("<h1>AI Twitter Recap</h1><p>a</p><h1>AI Podcast Corner</h1><p>b</p>", "ainews");
    expect(sections.map((s) => [s.id, s.title])).toEqual([
      ["twitter", "AI Twitter Recap"],
      ["ai-podcast-corner", "AI Podcast Corner"],
    ]);
  });
});

describe("This Week in Rust (headings preset)", () => {
  it("cuts at h2; the stray h1 near the end and a lone h5 do not fragment it", async () => {
    const feed = await fixtureFeed("twir-2026.atom.xml");
    const issue = feed.items[0]!;
    const { sections } = splitIssue(issue.html, "headings");
    expect(sections.map((s) => s.id)).toEqual([
      "intro",
      "updates-from-rust-community",
      "crate-of-the-week",
      "calls-for-testing",
      "call-for-participation-projects-and-speakers",
      "updates-from-the-rust-project",
      "upcoming-events",
      "jobs",
    ]);
    const jobs = sections.at(-1)!;
    expect(issue.html.slice(jobs.start, jobs.end)).toContain("<h1>Quote of the Week</h1>");
    expect(sections.find((s) => s.id === "calls-for-testing")!.topics).toHaveLength(1);
    const events = sections.find((s) => s.id === "upcoming-events")!;
    expect(events.topics.map((t) => t.id)).toEqual(["virtual", "africa", "asia", "europe", "north-america", "oceania"]);
  });
});

describe("cutting rules", () => {
  it("text before the first heading is the intro; an issue without headings is all intro", () => {
    expect(splitIssue("<p>hello</p><h2>A</h2><p>a</p><h2>B</h2>", "headings").sections.map((s) => s.id)).toEqual(["intro", "a", "b"]);
    expect(splitIssue("  \n<h2>A</h2><p>a</p><h2>B</h2>", "headings").sections.map((s) => [s.id, s.start])).toEqual([["a", 0], ["b", 21]]);
    expect(splitIssue("<p>just text</p>", "headings").sections.map((s) => s.id)).toEqual(["intro"]);
  });

  it("a single shallower heading is content, not a section", () => {
    const html = "<h1>Title</h1><h2>A</h2><p>a</p><h2>B</h2><p>b</p>";
    const { sections } = splitIssue(html, "headings");
    expect(sections.map((s) => s.id)).toEqual(["intro", "a", "b"]);
    expect(html.slice(sections[0]!.start, sections[0]!.end)).toBe("<h1>Title</h1>");
  });

  it("topics: the next level used twice; a deeper stray heading does not become a topic", () => {
    const html = "<h2>S</h2><h4>lead</h4><p>x</p><h3>One</h3><p>1</p><h3>Two</h3><p>2</p><h5>deep</h5><h2>T</h2><h4>only</h4><p>t</p>";
    const [s, t] = splitIssue(html, "headings").sections;
    expect(s!.topics.map((x) => x.title)).toEqual(["One", "Two"]);
    expect(t!.topics.map((x) => x.id)).toEqual(["t"]);
  });

  it("a long lead-in before the first topic is a topic of its own, named after the section", () => {
    const lead = `<p>${"word ".repeat(100)}</p>`;
    const { sections } = splitIssue(`<h2>S</h2>${lead}<h3>One</h3><p>1</p><h3>Two</h3><h2>T</h2>`, "headings");
    expect(sections[0]!.topics.map((t) => [t.id, t.title])).toEqual([["s", "S"], ["one", "One"], ["two", "Two"]]);
  });

  it("a lead-in is a topic of its own from 300 characters of text beyond the section's title, as its text reads", () => {
    const fillers = ["word ", "a&amp;b ", "&#x1F600;", "語", "😀", '<a href="https://example.com/a/long/path">x</a> ', "  \n ", "<b>é</b>"];
    for (const filler of fillers) {
      for (let n = 1; n < 400; n++) {
        const head = "<h2>Section title</h2>";
        const lead = `${head}<p>${filler.repeat(n)}</p>`;
        const { sections } = splitIssue(`${lead}<h3>One</h3><p>1</p><h3>Two</h3><h2>T</h2>`, "headings");
        const own = htmlToText(lead).length - "Section title".length >= 300;
        expect(sections[0]!.topics[0]!.id, `${JSON.stringify(filler)} × ${n}`).toBe(own ? "section-title" : "one");
      }
    }
    // The intro has no title to take off, and text may be all its bytes: 300 exactly.
    for (const wrap of [(t: string) => t, (t: string) => `<p>${t}</p>`]) {
      for (let n = 290; n <= 310; n++) {
        const { sections } = splitIssue(`${wrap("x".repeat(n))}<h3>One</h3><p>1</p><h3>Two</h3><h2>S</h2><h2>T</h2>`, "headings");
        expect(sections[0]!.topics[0]!.id, `${wrap("x")} × ${n}`).toBe(n >= 300 ? "intro" : "one");
      }
    }
  });

  it("bold paragraphs are topic headings only when the whole paragraph is bold (or a short tail)", () => {
    const html =
      "<h2>S</h2><p><strong>First</strong></p><p>x</p><p><strong>Not</strong> a heading, a sentence with emphasis.</p>" +
      "<ul><li><p><strong>Nested</strong></p></li></ul><p><b>Second</b>:</p><p>y</p><h2>T</h2>";
    const [s] = splitIssue(html, "headings").sections;
    expect(s!.topics.map((t) => t.title)).toEqual(["First", "Second"]);
  });

  it("a bold paragraph's tail: a note in parentheses of at most 60 characters and a colon, as the text reads", () => {
    // The rule, on the tail's text (BOLD_HEADING_TAIL); plain tails are told from their bytes.
    const rule = (tail: string) => /^(?:\([^()]{0,60}\))?\s*:?$/.test(htmlToText(tail));
    const tails = [
      " (1059 messages🔥): ",
      ":",
      "  :  ",
      "",
      `(${"x".repeat(60)})`,
      `(${"x".repeat(61)})`,
      `(${"🔥".repeat(30)})`, // 60 UTF-16 units
      `(${"🔥".repeat(30)}x)`,
      `(${"é".repeat(60)})`,
      `(a${" ".repeat(80)}b)`, // a run of spaces is one
      "(a)(b)",
      "((a))",
      "(a",
      "a)",
      ": (x)",
      "(x) :",
      "(x)\u3000:",
      "(x):\u00a0",
      "(\u00a0x\u2003)",
      "(a &amp; b)",
      "(<em>x</em>)",
      " — a note",
      " ▷ x",
      "\u00a0",
    ];
    for (const tail of tails) {
      const html = `<h2>S</h2><p><strong>Head</strong>${tail}</p><p>x</p><p><strong>Next</strong></p><p>y</p>`;
      const titles = splitIssue(html, "headings").sections[0]!.topics.map((t) => t.title);
      expect([tail, titles.includes("Head")]).toEqual([tail, rule(tail)]);
    }
  });

  it("heading titles are their text with spaces collapsed, spaces beyond ASCII included", () => {
    const titles = ["  A \n\t B\u00a0 ", "C  D", "c\td", "c\ne", "E\u2003\u3000F", "\u00a0G", "H <em> I </em>  J", "K", " L\r\n", "M "];
    const { sections } = splitIssue(titles.map((t) => `<h2>${t}</h2><p>x</p>`).join(""), "headings");
    expect(sections.map((s) => s.title)).toEqual(["A B", "C D", "c d", "c e", "E F", "G", "H I J", "K", "L", "M"]);
  });

  it("headings inside comments, scripts, attributes or nested elements are not cuts", () => {
    const html =
      '<h2 id="a-1">A</h2><!-- <h2>no</h2> --><script>let s = "<h2>no</h2>";</script>' +
      '<p title="<h2>no</h2>">x</p><blockquote><h2>quoted</h2></blockquote><h2>B</h2><p>b';
    const { sections } = splitIssue(html, "headings");
    expect(sections.map((s) => s.id)).toEqual(["a", "b"]);
    expect(sections[0]!.anchor).toBe("a-1"); // the heading's own id
    expect(sections[1]!.anchor).toBeUndefined(); // else its title's text fragment, not stored…
    expect(sliceAnchor(sections[1]!)).toBe(":~:text=B"); // …but made when asked
    expect(sections[1]!.end).toBe(html.length);
  });

  it("a top-level list ends at its own end tag: not at one inside raw text, a comment or a nested list", () => {
    const inside = [
      '<script>document.write("</ul>")</script>',
      "<!-- </ul> -->",
      "<ul><li>nested</li></ul>",
      "<UL><li>nested, upper case</LI></UL>",
      "<ul/>",
    ];
    for (const html of inside) {
      // Were the list to end early, the h2 inside its item would be read as a top-level cut.
      const doc = `<h2>A</h2><ul><li>${html}<h2>not a cut</h2></li></ul><h2>B</h2><p>b</p>`;
      expect(splitIssue(doc, "headings").sections.map((s) => s.title)).toEqual(["A", "B"]);
    }
  });

  it("notes of top-level elements that do not fit the HTML are not followed", () => {
    const html = "<ul><li>a</li></ul><h2>B</h2><div>c</div><h2>D</h2>";
    const bytes = utf8Bytes(html);
    const expected = splitIssue(html, "headings");
    for (const blocks of [[0, 0], [0, 3], [0, 10_000], [19, 5, 33, 33], [0]]) {
      expect(splitBytes({ bytes, blocks: Int32Array.from(blocks) }, "headings").split).toEqual(expected);
    }
  });

  it("an unclosed paragraph is closed by the next heading", () => {
    const html = "<h2>A</h2><p>open<h2>B</h2><p>b</p>";
    expect(splitIssue(html, "headings").sections.map((s) => html.slice(s.start, s.end))).toEqual(["<h2>A</h2><p>open", "<h2>B</h2><p>b</p>"]);
    expect(scanMarks(new TextEncoder().encode(html)).marks.map((m) => [m.kind, m.start, m.end])).toEqual([
      ["h", 0, 10],
      ["h", 17, 27],
    ]);
  });

  it("duplicate headings get distinct ids", () => {
    const { sections } = splitIssue("<h2>News</h2><p>1</p><h2>News</h2><p>2</p>", "headings");
    expect(sections.map((s) => s.id)).toEqual(["news", "news-2"]);
  });
});

describe("anchors", () => {
  it("are stored only when they are not the title's text fragment: an id, or none", () => {
    const html = '<p>intro text</p><h2 id="own">Has an id</h2><p>a</p><h2>Plain heading</h2><p>b</p><h2> </h2><p>c</p>';
    const { sections } = splitIssue(html, "headings");
    expect(sections.map((s) => [s.id, s.anchor, sliceAnchor(s)])).toEqual([
      ["intro", "", undefined], // the text before the first heading has no place to point at
      ["has-an-id", "own", "own"],
      ["plain-heading", undefined, ":~:text=Plain%20heading"], // (an empty heading is no cut)
    ]);
    // Bold-paragraph topics: their titles' fragments, none stored.
    const bold = splitIssue("<h1>Recap</h1><p><strong>Alpha-beta</strong></p><p>x</p><p><strong>Gamma</strong></p><p>y</p>", "headings");
    const topics = bold.sections.at(-1)!.topics;
    expect(topics.map((t) => [t.title, t.anchor, sliceAnchor(t)])).toEqual([
      ["Alpha-beta", undefined, ":~:text=Alpha%2Dbeta"],
      ["Gamma", undefined, ":~:text=Gamma"],
    ]);
    expect(JSON.stringify(bold)).not.toContain("anchor");
  });
});

