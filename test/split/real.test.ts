/**
 * Real newsletters as their publishers sent them (test/fixtures/upstream/real/ and found/, whose
 * READMEs name each file's source and the sections a reader sees in it), split as a refresh splits
 * them: the sanitized HTML, with the issue's and the publication's titles.
 */
import { describe, expect, it } from "vitest";
import { htmlToText } from "../../src/lib/text.js";
import { utf8Bytes } from "../../src/lib/utf8.js";
import type { IssueSplit, UpstreamFeed } from "../../src/model.js";
import { sanitizeHtml } from "../../src/sanitize/index.js";
import { sliceHtml, splitBytes, type SplitOptions } from "../../src/split/index.js";
import { namedBoundaries } from "../../src/split/named.js";
import { fixtureFeed, hrefs } from "../helpers.js";

interface Case {
  /** Under test/fixtures/upstream/. */
  file: string;
  /** Which item (a title's start), when the feed has several. */
  item?: string;
  /** Section titles a reader sees, in order (after the intro, if any). */
  sections: string[];
  /** Topic titles inside a section, in order. */
  topics?: Record<string, string[]>;
  /** Titles that must be no section: a footer's, a logo's. */
  absent?: string[];
  /** The feed's own boundaries (FEEDS `split`); then the sections are exactly `sections`. */
  split?: { sections: string; topics?: string };
}

/** Times Top10's ten stories. */
const TIMES_STORIES = [
  "1. World's talking about Adani, but Parliament won't",
  "2. How Kejriwal's name found mention in ED chargesheet on excise case",
  "3. Now, a native-outsider row in Sikkim",
  "4. A Muslim woman can seek divorce only in court, not...",
  "5. Have you been to this hill station?",
  "6. Why a journalist spent 27 months in jail",
  "7. What's got VHP talking about secularism?",
  "8. 'Unacceptable & provocative behaviour' against India",
  "9. Why Australia is debating British monarchy",
  "10. You share your b'day with...",
];

/** The README's "What a reader sees", as section titles. */
const CASES: Case[] = [
  // (Its share bar's "Follow Us" is no section: its cell holds the bar.)
  { file: "real/bloomberg-big-take-2022-02-17.rss.xml", sections: ["From today's story", "ICYMI"], absent: ["Follow Us"] },
  { file: "real/fs-brain-food-2022-10-16.rss.xml", sections: ["FS | BRAIN FOOD", "FS", "TKP", "Insight", "Tiny Thought", "Etc.", "Free Version"] },
  { file: "real/etenergyworld-2023-02-03.rss.xml", sections: ["Top Stories", "Oil & Gas", "Renewable", "Power", "Coal"] },
  {
    file: "real/every-divinations-2022-12-12.rss.xml",
    sections: [
      "AI-generated text will be easy to detect",
      "AI-generated junk content will fail",
      "Mediocre SEO content is dying anyway, and that’s a good thing",
      "Markets won’t solve everything, but they will solve for junk AI content",
      "If you publish AI-generated content, are you a liar?",
      "The future of writing",
    ],
  },
  {
    file: "real/openish-ml-news-2022-10-14.rss.xml",
    sections: ["Intro: two great starting points", "Events next week", "Values", "Techniques", "Joys!", "Change"],
    topics: { Values: ["Ease of entry", "Governance", "Legibility"], Techniques: ["Collaboration", "Improvements"], Change: ["Creation", "Regulation"] },
  },
  { file: "real/hey-world-dhh-2022-10.atom.xml", sections: [] },
  {
    file: "real/times-top10-2023-02-03.rss.xml",
    sections: TIMES_STORIES,
  },
  {
    // The README's worked example for FEEDS `split`: the automatic rules leave "5 THINGS FIRST" in
    // the intro and make the footer's "GET APP" a section; named, the sections are the stories.
    file: "real/times-top10-2023-02-03.rss.xml",
    split: { sections: "td.page_title, td.nospacing" },
    // ("NEWS IN CLUES": a quiz box between the stories, its answers at the end.)
    sections: ["5 THINGS FIRST", ...TIMES_STORIES.slice(0, 4), "NEWS IN CLUES", ...TIMES_STORIES.slice(4), "Answer to NEWS IN CLUES"],
  },
  { file: "real/astral-codex-ten-2022-10-27.rss.xml", sections: [] },
  // (Its tagline and address are set `font-size:18px;font-size:16px`: not large, no sections.)
  { file: "real/tomasz-tunguz-2022-10-28.rss.xml", sections: [] },
  {
    file: "real/ttso-2023-01-31.rss.xml",
    // (Its logo, an image in an h1, titles nothing.)
    absent: ["section"],
    sections: [
      "Si vous avez passé la journée à chercher",
      "Plus au bureau, plus dans la rue",
      "Ne vous inquiétez pas",
      "Arrêtez !",
      "Forward College : Réinventez l’avenir de vos enfants",
      "La Q de la semaine",
    ],
    topics: { "Si vous avez passé la journée à chercher": ["Manifestations", "Retraites", "Livraison d'armes"] },
  },
  {
    file: "real/slow-chinese-2022-02-19.rss.xml",
    sections: ["1. CONVERSATIONS WITH CONSUMING", "2. WORDS OF THE WEEK", "3. RECOMMENDATIONS"],
    topics: { "2. WORDS OF THE WEEK": ["Useful words", "Idioms", "Colloquial phrases"] },
  },
  {
    file: "real/forte-labs-2017-12-27.rss.xml",
    sections: ["Note-first knowledge management", "Designing discoverable notes", "Compression vs. context", "Opportunistic compression"],
  },
  {
    file: "real/interconnects-2026.rss.xml",
    item: "Kimi K3",
    sections: [
      "1. China’s recommits to open-source AI – showing a different read on near-term risks",
      "2. Open models as the economic Achilles heel of frontier labs",
      "3. China’s efficiency advantage",
      "4. A growing ecosystem of frontier, open models",
      "5. The very beginning of a long story of frontier open-weight policy",
      "Conclusion: The wake-up call",
    ],
  },
  { file: "real/interconnects-2026.rss.xml", item: "Latest open artifacts (#23)", sections: ["Our Picks", "Models"] },
  { file: "real/interconnects-2026.rss.xml", item: "Banning Open Source AI", sections: [] },
  { file: "real/penn-spark-2022-2026.rss.xml", item: "FDAO", sections: ["🏮 RED APPLICATIONS (ARE OPEN NOW)!!!", "💕 Your turn"] },
  { file: "real/penn-spark-2022-2026.rss.xml", item: "Sparksgiving Season", sections: ["🎉 YOU’RE INVITED – Showcase!", "📌 Spark updates", "💕 Your turn"] },
  {
    file: "real/philly-bike-action-2024-2026.rss.xml",
    item: "PBA May",
    sections: ["Glenn Colville killed by driver on Aramingo", "News", "Volunteers Needed!", "Upcoming Events", "Join the Action!"],
  },
  {
    file: "real/philly-bike-action-2024-2026.rss.xml",
    item: "Philly Bike Action June",
    sections: ["June 2024 Newsletter", "1 Year Anniversary Reflections", "Upcoming Events", "Volunteer Opportunities"],
  },
  // Cooperpress: sections are bold lines in a table of their own (set large, but for "💻 Jobs": it
  // is one by its template); a story's title is a large link opening its paragraph, a short
  // item's a bold link.
  {
    file: "found/node-weekly-2022-10-20.rss.xml",
    sections: ["Node.js 19 Released", "🛠 Code & Tools", "💻 Jobs"],
    topics: {
      "Node.js 19 Released": [
        "Memetria: Secure, Scalable, Full-Featured Redis 7 Hosting",
        "Choosing the Best Node.js Docker Image",
        "▶ Effortless End-to-End Type-Safety with Phero",
        "IN BRIEF",
        "PowerShell, NPM Scripts, and Silently Dropped Arguments",
        "▶ A Next.js Crash Course",
        "Web Scraping Google Maps with Puppeteer",
        "Your Step by Step Guide to Containerizing Node.js Web Applications",
        "Sending UDP Messages without DNS Lookups",
        "How Wix Uses Threading in Node Apps to Cut Kubernetes Pod Costs",
      ],
      "🛠 Code & Tools": ["Javet 2.0.0: Embed Node and V8 in Java Apps", "Editly 0.14.0: Declarative Command Line Video Editing", "Send Email, Push and SMS with Smart Routing, with Just 8 Lines of Code", "lady-gg: Simple TypeScript gRPC Client"],
    },
  },
  // beehiiv: h1 titles inside layout tables, in cells of their own.
  {
    file: "found/milk-road-2022.rss.xml",
    item: "🥛The SEC",
    sections: ["THE SEC IS INVESTIGATING YUGA LABS, THE CREATORS OF BORED APES", "COINBASE TEAMS UP WITH GOOGLE", "TODAY'S EDITION IS BROUGHT TO YOU BY BLENDID", "QUICK BITES", "MEME OF THE DAY"],
    topics: { "THE SEC IS INVESTIGATING YUGA LABS, THE CREATORS OF BORED APES": ["1/ Bored Apes are the Yankees of NFTs", "The Milk Road Take"] },
  },
  {
    file: "found/milk-road-2022.rss.xml",
    item: "I talked to a guy",
    sections: ["We talked to a Crypto OG worth $100m+", "Chart Of The Day 📊", "Five Nuggets 🔍", "How FTX & Coinbase Enforce US Sanctions"],
    topics: { "We talked to a Crypto OG worth $100m+": ["4 Baller Things About Ryan", "Highlights from the call", "Ronin", "Safe Haven Assets", "DeFi Yield"] },
  },
];

async function issue(c: Case): Promise<{ html: string; split: IssueSplit; feed: UpstreamFeed }> {
  const feed = await fixtureFeed(c.file);
  const item = c.item ? feed.items.find((i) => i.title.startsWith(c.item!)) : feed.items[0];
  if (!item) throw new Error(`no item ${c.item} in ${c.file}`);
  const html = sanitizeHtml(item.html);
  const opts: SplitOptions = { names: [item.title, feed.title], named: c.split && namedBoundaries(c.split) };
  return { html, split: splitBytes({ bytes: utf8Bytes(html) }, "headings", opts).split, feed };
}

/** A subsequence check that says what is missing. */
function inOrder(titles: string[], expected: string[]): string[] {
  let k = 0;
  const missing: string[] = [];
  for (const e of expected) {
    const at = titles.indexOf(e, k);
    if (at < 0) missing.push(e);
    else k = at + 1;
  }
  return missing;
}

/** Whether an item's HTML is balanced: every element closed, in order (void elements aside). */
function balanced(html: string): boolean {
  const VOID = new Set("area br col embed hr img source track wbr input".split(" "));
  const open: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g)) {
    const name = m[2]!.toLowerCase();
    if (VOID.has(name) || m[3]) continue;
    if (!m[1]) open.push(name);
    else if (open.pop() !== name) return false;
  }
  return open.length === 0;
}

const images = (html: string) => [...html.matchAll(/<img\s[^>]*?src="([^"]*)"/g)].map((m) => m[1]!);
const words = (html: string) => htmlToText(html).split(/\s+/).filter(Boolean);

describe.each(CASES)("$file $item $split.sections", (c) => {
  it("splits into the sections a reader sees, in order", async () => {
    const { split } = await issue(c);
    const titles = split.sections.map((s) => s.title);
    expect(inOrder(titles, c.sections), `sections: ${JSON.stringify(titles)}`).toEqual([]);
    if (c.sections.length === 0) expect(split.sections.length).toBe(1);
    if (c.split) expect(titles.filter((t) => t !== "Intro")).toEqual(c.sections);
    for (const title of c.absent ?? []) expect(titles).not.toContain(title);
    for (const [section, topics] of Object.entries(c.topics ?? {})) {
      const s = split.sections.find((x) => x.title === section)!;
      expect(inOrder(s.topics.map((t) => t.title), topics), `topics of ${section}: ${JSON.stringify(s.topics.map((t) => t.title))}`).toEqual([]);
    }
  });

  it("every text run, link and image lands in exactly one item at each granularity; every item is well-formed", async () => {
    const { html, split } = await issue(c);
    const sectionItems = split.sections.map((s) => sliceHtml(html, s));
    const topicItems = split.sections.flatMap((s) => s.topics.map((t) => sliceHtml(html, t)));
    for (const items of [sectionItems, topicItems]) {
      expect(items.flatMap(hrefs)).toEqual(hrefs(html));
      expect(items.flatMap(images)).toEqual(images(html));
      expect(items.flatMap(words)).toEqual(words(html));
      for (const item of items) expect(balanced(item), item.slice(0, 200)).toBe(true);
    }
    expect(balanced(html)).toBe(true);
  });
});
