/** The cutting rules for email layouts, one small inline issue per rule (the real ones: real.test.ts). */
import { describe, expect, it } from "vitest";
import { utf8Bytes } from "../../src/lib/utf8.js";
import { sliceHtml, splitBytes, splitIssue } from "../../src/split/index.js";
import { namedBoundaries } from "../../src/split/named.js";
import { expectEvery } from "../expect.js";

const table = (cells: string[]) => `<table><tr><td>${cells.join("</td></tr><tr><td>")}</td></tr></table>`;
const titles = (html: string, names: string[] = []) => splitBytes({ bytes: utf8Bytes(html) }, "headings", { names }).split.sections.map((s) => s.title);
const topics = (html: string) => splitIssue(html, "headings").sections.map((s) => [s.title, s.topics.map((t) => t.title)]);

describe("cuts inside nested layout", () => {
  it("a heading inside a cell is a cut; its item re-opens the elements around it and closes them", () => {
    const html = `<div class="wrap"><table><tr><td><p>Hello</p><h2>One</h2><p>a</p><h2>Two</h2><p>b</p></td></tr></table></div>`;
    const { sections } = splitIssue(html, "headings");
    expect(sections.map((s) => s.title)).toEqual(["Intro", "One", "Two"]);
    expect(sections.map((s) => sliceHtml(html, s))).toEqual([
      `<div class="wrap"><table><tr><td><p>Hello</p></td></tr></table></div>`,
      `<div class="wrap"><table><tr><td><h2>One</h2><p>a</p></td></tr></table></div>`,
      `<div class="wrap"><table><tr><td><h2>Two</h2><p>b</p></td></tr></table></div>`,
    ]);
    // The ranges still cover the body exactly.
    expect(sections.map((s) => html.slice(s.start, s.end)).join("")).toBe(html);
  });

  it("a title alone at the top of its table is cut before the table, so the previous item does not end inside it", () => {
    const html = `<p>Intro</p>${table(["<h2>One</h2>", "a"])}${table(["<h2>Two</h2>", "b"])}`;
    const { sections } = splitIssue(html, "headings");
    expect(sections.map((s) => html.slice(s.start, s.end))).toEqual(["<p>Intro</p>", table(["<h2>One</h2>", "a"]), table(["<h2>Two</h2>", "b"])]);
    expectEvery(sections, (s) => !s.open && !s.close);
  });

  it("an email without headings: lines set large or named like a title are sections", () => {
    const big = (t: string) => `<td><span style="font-size:24px">${t}</span></td>`;
    const html = `<table><tr>${big("Top Stories")}</tr><tr><td>a story</td></tr><tr>${big("Power")}</tr><tr><td>another</td></tr></table>`;
    expect(titles(html)).toEqual(["Top Stories", "Power"]);
    const named = (t: string) => `<td class="page_title"><a href="https://x.test/" style="font-weight:900">${t}</a></td>`;
    const html2 = `<table><tr>${named("1. First")}</tr><tr><td>a</td></tr><tr>${named("2. Second")}</tr><tr><td>b</td></tr></table>`;
    expect(titles(html2)).toEqual(["1. First", "2. Second"]);
    // Bold lines that are not named or set like titles are sections too, where nothing outranks them.
    expect(titles(html2.replaceAll("page_title", "cell"))).toEqual(["1. First", "2. Second"]);
  });

  it("a bold run that opens a cell and ends its line is a title", () => {
    const cell = (t: string, body: string) => `<tr><td><strong>${t}</strong><br><br>${body}</td></tr>`;
    const html = `<table>${cell("Milestones", "We built it.")}${cell("Upcoming Events", "Come along.")}</table>`;
    expect(titles(html)).toEqual(["Milestones", "Upcoming Events"]);
    // Bold words inside a sentence are emphasis.
    expect(titles(`<table><tr><td><p>We <strong>built</strong> it.</p><p>It <b>works</b>.</p></td></tr></table>`)).toEqual(["Intro"]);
  });

  it("bold lead-ins are a section's topics in nested layout, where there are several; not at the top level", () => {
    const lead = (t: string) => `<p><b>${t}</b> : the text about it, which goes on for a while.</p>`;
    const body = `<h2>News</h2>${lead("Strikes")}${lead("Pensions")}${lead("Weapons")}<h2>Next</h2><p>x</p>`;
    expect(topics(`<div><div>${body}</div></div>`)).toEqual([
      ["News", ["Strikes", "Pensions", "Weapons"]],
      ["Next", ["Next"]],
    ]);
    expect(topics(body)).toEqual([
      ["News", ["News"]],
      ["Next", ["Next"]],
    ]);
    expect(topics(`<div>${`<h2>News</h2>${lead("Alone")}<h2>Next</h2><p>x</p>`}</div>`)[0]).toEqual(["News", ["News"]]);
  });

  it("a paragraph opening with a large run of plain weight is a lead-in; one that is all such a run too; beside bold lines, both are topics", () => {
    // Cooperpress: each story's title a large link; short items under bold titles between them.
    const story = (t: string, rest = " — what it is about, in a sentence or two.") => `<p><span style="font-size:18px"><a href="https://x.test/${t}">${t}</a></span>${rest}</p>`;
    const bold = (t: string) => `<p><strong><a href="https://x.test/${t}">${t}</a></strong></p><p>by someone</p>`;
    const html = table([`<h2>Top</h2>${story("Alpha")}${story("Beta", "")}${bold("Gamma")}${bold("Delta")}${story("Epsilon")}`, "<h2>Next</h2><p>x</p>"]);
    expect(topics(html)[0]).toEqual(["Top", ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]]);
    // A paragraph that is all a large bold run is a styled line: sections where there are two; of plain weight, topics only.
    const line = (t: string, weight: string) => `<p><span style="font-size:18px${weight}"><a href="https://x.test/${t}">${t}</a></span></p><p>about ${t}</p>`;
    expect(titles(table([line("Zeta", ";font-weight:700"), line("Eta", ";font-weight:700")]))).toEqual(["Zeta", "Eta"]);
    expect(titles(table([line("Zeta", ""), line("Eta", "")]))).toEqual(["Intro"]);
    // A large line that is no link, or one at the top level, stays a line: the sections.
    const span = (t: string, inner = t) => `<p><span style="font-size:24px">${inner}</span></p><p>about ${t}</p>`;
    expect(titles(table([span("News"), span("Events")]))).toEqual(["News", "Events"]);
    expect(titles(span("News") + span("Events"))).toEqual(["News", "Events"]);
    expect(titles(span("News", '<a href="https://x.test/n">News</a>') + span("Events", '<a href="https://x.test/e">Events</a>'))).toEqual(["News", "Events"]);
  });

  it("a bold line alone in a block of the template a section title is alone in is a section, whatever its size", () => {
    // Cooperpress: "🛠 Code & Tools" at 1.4em and "💻 Jobs" at 1.05em, each the one line of a table.el-content.
    const block = (t: string, size: string) => `<table class="content el-content "><tr><td><p style="font-weight:600;font-size:${size}">${t}</p></td></tr></table>`;
    const story = (t: string) => `<table class="item"><tr><td><p><strong><a href="https://x.test/${t}">${t}</a></strong><br>by someone</p><p>what ${t} is</p></td></tr></table>`;
    const html = `${block("Lead", "1.4em")}${story("A")}${story("B")}${block("Code &amp; Tools", "1.4em")}${story("C")}${story("D")}${block("Jobs", "1.05em")}${story("E")}`;
    expect(topics(html)).toEqual([
      ["Lead", ["A", "B"]],
      ["Code & Tools", ["C", "D"]],
      ["Jobs", ["E"]],
    ]);
    // Not alone in its block (a line of text beside it), or in another template's block: a topic.
    const shared = `<table class="content el-content"><tr><td><p style="font-weight:600">Jobs</p><p>two listings this week</p></td></tr></table>`;
    expect(topics(html.replace(block("Jobs", "1.05em"), shared)).map(([t]) => t)).toEqual(["Lead", "Code & Tools"]);
    expect(topics(html.replace(block("Jobs", "1.05em"), block("Jobs", "1.05em").replace("content el-content ", "content el-minor"))).map(([t]) => t)).toEqual(["Lead", "Code & Tools"]);
    // The same names however spaced are the same template.
    expect(topics(html.replace(block("Jobs", "1.05em"), block("Jobs", "1.05em").replace("content el-content ", " content  el-content"))).map(([t]) => t)).toEqual(["Lead", "Code & Tools", "Jobs"]);
  });

  it("where lead-ins are a section's topics, a lone bold line among them is one too", () => {
    const story = (t: string) => `<p><span style="font-size:18px"><a href="https://x.test/${t}">${t}</a></span> — what it is about, in a sentence or two.</p>`;
    const short = `<p><strong><a href="https://x.test/s">A short item</a></strong><br>by someone</p>`;
    expect(topics(table([`<h2>Top</h2>${story("Alpha")}${story("Beta")}${short}`, "<h2>Next</h2><p>x</p>"]))[0]).toEqual(["Top", ["Alpha", "Beta", "A short item"]]);
  });

  it("a heading with nothing under it is folded into the next item", () => {
    const html = "<h2>S</h2><p>s</p><h4>Empty</h4><h4>A</h4><p>a</p><h4>B</h4><p>b</p><h2>T</h2><p>t</p>";
    const [s] = splitIssue(html, "headings").sections;
    expect(s!.topics.map((t) => [t.title, html.slice(t.start, t.end)])).toEqual([
      ["A", "<h2>S</h2><p>s</p><h4>Empty</h4><h4>A</h4><p>a</p>"],
      ["B", "<h4>B</h4><p>b</p>"],
    ]);
  });

  it("the last bold topic of a section ends at a thematic break; what follows is the section's own item", () => {
    const html = "<h2>S</h2><p><strong>A</strong></p><p>a</p><p><strong>B</strong></p><p>b</p><hr><ul><li><a href=\"https://x.test/\">link</a></li></ul>";
    const [s] = splitIssue(html, "headings").sections;
    expect(s!.topics.map((t) => [t.id, html.slice(t.start, t.end)])).toEqual([
      ["a", "<h2>S</h2><p><strong>A</strong></p><p>a</p>"],
      ["b", "<p><strong>B</strong></p><p>b</p>"],
      ["s", '<hr><ul><li><a href="https://x.test/">link</a></li></ul>'],
    ]);
    // A break with nothing after it ends nothing.
    expect(splitIssue("<h2>S</h2><p><strong>A</strong></p><p>a</p><p><strong>B</strong></p><p>b</p><hr>", "headings").sections[0]!.topics.map((t) => t.id)).toEqual(["a", "b"]);
  });

  it("headings of widgets, subtitles, quotes and the issue's own title are not cuts", () => {
    const html =
      `<div><h1>My Issue</h1><h2 class="subtitle">What it is about</h2><p>intro</p>` +
      `<h3>One</h3><p>a</p><div class="formkit-form"><h3>Subscribe now</h3></div><blockquote><h3>Quoted</h3></blockquote>` +
      `<h3>Two</h3><p>b</p></div>`;
    expect(titles(html, ["My Issue", "My Publication"])).toEqual(["Intro", "One", "Two"]);
  });

  it("a cell around a share bar is no title, though its only text is the bar's bold label", () => {
    const bold = (t: string) => `<tr><td><p><strong>${t}</strong></p></td></tr><tr><td><p>about ${t}</p></td></tr>`;
    const icons = `<table class="social-component"><tr><td><strong>Follow Us</strong></td></tr><tr><td><a href="https://x.test/"><img src="https://x.test/i.png"></a></td></tr></table>`;
    const html = `<table>${bold("News")}${bold("Events")}<tr><td class="wrapper">${icons}</td></tr></table>`;
    expect(titles(html)).toEqual(["News", "Events"]);
    // The same cell around a table that is no widget is a title.
    expect(titles(html.replace("social-component", "plain"))).toEqual(["News", "Events", "Follow Us"]);
  });

  it("a style that declares its font size or weight twice is as large or as bold as the last declaration says", () => {
    const line = (style: string, t: string) => `<tr><td><p style="${style}">${t}</p></td></tr><tr><td><p>about ${t}</p></td></tr>`;
    const html = (style: string) => `<table><tr><td><p>Hi</p></td></tr>${line(style, "Venture Capitalist")}${line(style, "2969 Woodside Road")}</table>`;
    expect(titles(html("font-size:18px;font-size:14px"))).toEqual(["Intro"]);
    expect(titles(html("font-size:14px;font-size:18px"))).toEqual(["Intro", "Venture Capitalist", "2969 Woodside Road"]);
    expect(titles(html("font-weight:bold;font-weight:normal"))).toEqual(["Intro"]);
  });

  it("a heading with no text (a logo) is no cut", () => {
    const html = `<div><h1><a href="https://x.test/"><img src="https://x.test/logo.png" alt="The Letter"></a></h1><p>Hello</p><h2>One</h2><p>a</p><h2>Two</h2><p>b</p></div>`;
    expect(titles(html)).toEqual(["Intro", "One", "Two"]);
  });

  it("never cuts inside a link: a heading inside one is no cut", () => {
    const html = `<div><p>x</p><a href="https://x.test/"><span>before</span><h2>In a link</h2></a><h2>A</h2><p>a</p><h2>B</h2><p>b</p></div>`;
    expect(titles(html)).toEqual(["Intro", "A", "B"]);
  });

  it("an emoji or a symbol beside a bold title leaves it a title; a lone bold line is no section", () => {
    const html = "<p>Hi</p><p>&#128149;<strong> Your turn</strong></p><p>a</p><p>📌 <strong>Updates</strong></p><p>b</p>";
    expect(titles(html)).toEqual(["Intro", "💕 Your turn", "📌 Updates"]);
    expect(titles("<div><p>Hi</p><p><strong>2969 Woodside Road</strong></p></div>")).toEqual(["Intro"]);
  });
});

describe("section ids across issues", () => {
  it("a heading that differs only in a date, a number, an emoji, punctuation or a plural keeps the publication's id", () => {
    const known = new Map<string, string>();
    const id = (title: string) => splitBytes({ bytes: utf8Bytes(`<h2>${title}</h2><p>a</p><h2>Other</h2><p>b</p>`) }, "headings", { known }).split.sections[0]!.id;
    expect(id("Upcoming Events")).toBe("upcoming-events");
    expect(id("Upcoming Event")).toBe("upcoming-events");
    expect(id("📆 Upcoming events, May 2026:")).toBe("upcoming-events");
    expect(id("News for March 3")).toBe("news-for");
    expect(id("News for March 4")).toBe("news-for");
    expect(id("Jobs")).toBe("jobs");
    expect(id("Job Board")).toBe("job-board"); // another section
    // Without the publication's ids, the slug, dates and numbers left out.
    expect(splitIssue("<h2>Issue 42: Links</h2><p>a</p><h2>B</h2><p>b</p>", "headings").sections[0]!.id).toBe("issue-links");
  });
});

describe("boundaries a feed names (FEEDS split)", () => {
  const named = (html: string, sections: string, topics?: string) =>
    splitBytes({ bytes: utf8Bytes(html) }, "headings", { named: namedBoundaries({ sections, topics }) }).split.sections.map((s) => [s.title, s.topics.map((t) => t.title)]);

  it("only the named elements cut, sections and topics, whatever the automatic rules would find", () => {
    const html =
      `<h1>Masthead</h1><table><tr><td class="Story-Head">First story</td></tr><tr><td><p class="lead">Who</p><p>a</p><p class="lead">What</p><p>b</p></td></tr>` +
      `<tr><td class="story-head">Second story</td></tr><tr><td><h2>Not a cut</h2><p>c</p></td></tr></table>`;
    expect(named(html, "td.story-head", ".lead")).toEqual([
      ["Intro", ["Intro"]],
      ["First story", ["Who", "What"]],
      ["Second story", ["Second story"]],
    ]);
    // Named is named: every cell cuts, none is folded into the next.
    expect(named(html, "td").map(([t]) => t)).toEqual(["Intro", "First story", "Who a What b", "Second story", "Not a cut c"]);
  });

  it("a selector it cannot read is an error naming it", () => {
    expect(() => namedBoundaries({ sections: "td > p" })).toThrow(/"td > p" is not a tag name, a .class or tag.class/);
    expect(() => namedBoundaries({ sections: "h2, " })).toThrow(/"" is not/);
    expect(namedBoundaries({ sections: "h2, td.page_title.big" }).sections).toEqual([{ tag: "h2", classes: [] }, { tag: "td", classes: ["page_title", "big"] }]);
  });
});
