import type { IssueSplit, SectionSlice, TopicSlice } from "../model.js";
import { htmlToText, slugify, textFragment } from "../lib/text.js";
import { type Preset, sectionId } from "./presets.js";
import { type Mark, scanTopLevel } from "./scan.js";

export { PRESETS, type Preset, sectionId } from "./presets.js";

/** Section and topic id of the text before the first heading. */
export const INTRO = "intro";

/**
 * A section's lead-in (its heading and what stands before its first topic) is folded into the
 * first topic when it has less text than this, so that a topic feed does not get an item that is
 * only a heading and a one-line note.
 */
const LEAD_IN_MAX_TEXT = 300;
/** A bold paragraph longer than this is emphasis, not a topic heading. */
const BOLD_HEADING_MAX_TEXT = 200;
/** What may follow the bold run of a bold-paragraph heading: a colon, or a short note in parentheses. */
const BOLD_HEADING_TAIL = /^(?:\([^()]{0,60}\))?\s*:?$/;

interface Boundary {
  start: number;
  title: string;
  anchor?: string;
}

/**
 * Cut an issue into sections and topics by slicing its HTML at top-level headings.
 * Sections and topics are contiguous and cover the body exactly: concatenating the slices gives
 * the body back, so nothing is lost and nothing is duplicated.
 */
export function splitIssue(html: string, preset: Preset): IssueSplit {
  const marks = scanTopLevel(html);
  const headings = marks.filter((m) => m.kind === "h");
  const level = chooseLevel(headings, 0, 1);
  const cuts = headings.filter((h) => h.level === level);

  const sections: SectionSlice[] = [];
  const ids = new Set<string>();
  const firstStart = cuts.length ? cuts[0]!.start : html.length;
  // Text before the first heading is the intro; whitespace alone is not worth an item.
  if (cuts.length === 0 || html.slice(0, firstStart).trim() !== "") {
    sections.push(makeSection(html, marks, INTRO, "Intro", undefined, 0, firstStart, level));
    ids.add(INTRO);
  }
  cuts.forEach((h, k) => {
    const title = headingText(html, h);
    const id = unique(sectionId(title, preset) || "section", ids);
    const start = sections.length === 0 ? 0 : h.start;
    const end = k + 1 < cuts.length ? cuts[k + 1]!.start : html.length;
    sections.push(makeSection(html, marks, id, title || id, anchorOf(h, title), start, end, level, h));
  });
  return { sections };
}

/**
 * The heading level an issue (or a section) is cut at: the shallowest level deeper than `below`
 * that is used at least `min` times — so one stray heading neither fragments the issue nor hides
 * its real structure. With `min` 1 that is simply the shallowest level present.
 */
function chooseLevel(headings: Mark[], below: number, min: number): number {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const h of headings) if (h.level > below) counts[h.level]!++;
  for (let l = below + 1; l <= 6; l++) if (counts[l]! >= 2) return l;
  if (min <= 1) for (let l = below + 1; l <= 6; l++) if (counts[l]! >= 1) return l;
  return 0;
}

function makeSection(
  html: string,
  marks: Mark[],
  id: string,
  title: string,
  anchor: string | undefined,
  start: number,
  end: number,
  level: number,
  heading?: Mark,
): SectionSlice {
  const inside = marks.filter((m) => m.start >= start && m.start < end && m !== heading);
  // Topics: the next heading level used at least twice; else bold-paragraph headings.
  const topicLevel = chooseLevel(inside.filter((m) => m.kind === "h"), level, 2);
  let boundaries: Boundary[];
  if (topicLevel) {
    boundaries = inside
      .filter((m) => m.kind === "h" && m.level === topicLevel)
      .map((m) => {
        const t = headingText(html, m);
        return { start: m.start, title: t, anchor: anchorOf(m, t) };
      });
  } else {
    boundaries = [];
    for (const m of inside) {
      const t = m.kind === "p" ? boldParagraphText(html, m) : undefined;
      if (t) boundaries.push({ start: m.start, title: t, anchor: textFragment(t) });
    }
  }
  return { id, title, anchor, start, end, topics: makeTopics(html, id, title, anchor, start, end, boundaries) };
}

function makeTopics(
  html: string,
  sectionId: string,
  sectionTitle: string,
  sectionAnchor: string | undefined,
  start: number,
  end: number,
  boundaries: Boundary[],
): TopicSlice[] {
  const topics: TopicSlice[] = [];
  const ids = new Set<string>();
  if (boundaries.length === 0) {
    return [{ id: sectionId, title: sectionTitle, anchor: sectionAnchor, start, end }];
  }
  const leadIn = html.slice(start, boundaries[0]!.start);
  const leadInText = htmlToText(leadIn);
  let first = boundaries[0]!.start;
  if (leadInText.length - (sectionId === INTRO ? 0 : sectionTitle.length) >= LEAD_IN_MAX_TEXT) {
    ids.add(sectionId);
    topics.push({ id: sectionId, title: sectionTitle, anchor: sectionAnchor, start, end: first });
  } else {
    first = start;
  }
  boundaries.forEach((b, k) => {
    topics.push({
      id: unique(slugify(b.title) || "topic", ids),
      title: b.title,
      anchor: b.anchor,
      start: k === 0 ? first : b.start,
      end: k + 1 < boundaries.length ? boundaries[k + 1]!.start : end,
    });
  });
  return topics;
}

function headingText(html: string, m: Mark): string {
  return htmlToText(html.slice(m.innerStart, m.innerEnd));
}

/**
 * `<p><strong>Meta Llama 3 Release</strong></p>` → "Meta Llama 3 Release"; else undefined.
 * A short tail after the bold run is allowed, as in AINews' per-channel summaries:
 * `<p><strong>Perplexity AI ▷ #general</strong> (1059 messages🔥): </p>`.
 */
function boldParagraphText(html: string, m: Mark): string | undefined {
  // Most paragraphs are not bold-led: tell without copying them.
  let at = m.innerStart;
  while (at < m.innerEnd && isSpace(html.charCodeAt(at))) at++;
  const c = html.charCodeAt(at);
  const c1 = html.charCodeAt(at + 1) | 32;
  if (c < 128 && (c !== 60 || (c1 !== 98 && c1 !== 115))) return undefined; // not "<b" nor "<s"
  const inner = html.slice(at, m.innerEnd).trim();
  const open = /^<(strong|b)(?:\s[^>]*)?>/i.exec(inner);
  if (!open) return undefined;
  const close = `</${open[1]!.toLowerCase()}>`;
  const closeAt = indexOfIgnoreCase(inner, close);
  if (closeAt < 0) return undefined;
  const tail = inner.slice(closeAt + close.length);
  if (!BOLD_HEADING_TAIL.test(htmlToText(tail))) return undefined;
  const t = htmlToText(inner.slice(0, closeAt));
  return t && t.length <= BOLD_HEADING_MAX_TEXT ? t.replace(/:$/, "") : undefined;
}

/** First index of `needle` ("</…>", lower case) in `s`, in any case; -1 if none. */
function indexOfIgnoreCase(s: string, needle: string): number {
  for (let k = s.indexOf("</"); k >= 0; k = s.indexOf("</", k + 2)) {
    if (s.slice(k, k + needle.length).toLowerCase() === needle) return k;
  }
  return -1;
}

/** What String.prototype.trim removes, for the characters a paragraph starts with in practice. */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 0xa0 || c === 0xfeff;
}

function anchorOf(m: Mark, title: string): string | undefined {
  const id = /\sid\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))/i.exec(m.tag);
  const value = id && (id[1] ?? id[2] ?? id[3]);
  if (value) return value;
  return title ? textFragment(title) : undefined;
}

function unique(id: string, taken: Set<string>): string {
  let out = id;
  for (let k = 2; taken.has(out); k++) out = `${id}-${k}`;
  taken.add(out);
  return out;
}
