import type { IssueSplit, SectionSlice, TopicSlice } from "../../src/model.js";
import { textFragment } from "../../src/lib/text.js";
import { viewOf } from "../../src/lib/bytes.js";
import { toUtf16Offsets, type Utf8Html, utf8Bytes, utf8Text } from "../../src/lib/utf8.js";
import { type Preset, sectionId } from "../../src/split/presets.js";
import { type Mark, scanTopLevel } from "./scan.js";
import { TitleCache } from "../../src/split/index.js";
import { anchorOf, boldParagraphText, headingText, textOf } from "../../src/split/titles.js";

/*
 * The splitter before it looked into nested layout, kept as the benchmark's baseline (bench/cases.ts):
 * the top-level scan and the cutting rules as they were; the title helpers and the tag helpers it
 * shared are imported from src/split, unchanged.
 */

/** Section and topic id of the text before the first heading. */
export const INTRO = "intro";

/**
 * A section's lead-in (its heading and what stands before its first topic) is folded into the
 * first topic when it has less text than this, so that a topic feed does not get an item that is
 * only a heading and a one-line note.
 */
const LEAD_IN_MAX_TEXT = 300;

interface Boundary {
  start: number;
  title: string;
  anchor?: string;
}

/**
 * Cut an issue into sections and topics by slicing its HTML at top-level headings.
 * Sections and topics are contiguous and cover the body exactly: concatenating the slices gives
 * the body back, so nothing is lost and nothing is duplicated. Offsets are in UTF-16 units of
 * the HTML as a string, whether it is given as a string or as its UTF-8 bytes.
 */
export function splitIssue(html: string | Uint8Array, preset: Preset): IssueSplit {
  return splitBytes({ bytes: typeof html === "string" ? utf8Bytes(html) : html }, preset).split;
}

/**
 * `splitIssue` on the HTML's UTF-8 bytes, and the length of the HTML as a string: the issue is
 * scanned and cut in bytes, only headings and bold paragraphs become strings. What the decoder
 * noted (`Utf8Html`: where the tags and the multi-byte characters are) spares the passes that
 * would find them.
 */
export function splitBytes(utf8: Utf8Html, preset: Preset, titles = new TitleCache()): { split: IssueSplit; length: number } {
  const html = utf8.bytes;
  const view = viewOf(html);
  const marks = scanTopLevel(html, utf8.lt);
  const headings = marks.filter((m) => m.kind === "h");
  const level = chooseLevel(headings, 0, 1);
  const cuts = headings.filter((h) => h.level === level);

  const sections: SectionSlice[] = [];
  const ids = new Set<string>();
  const firstStart = cuts.length ? cuts[0]!.start : html.length;
  // Text before the first heading is the intro; whitespace alone is not worth an item.
  if (cuts.length === 0 || !isBlank(html, 0, firstStart)) {
    sections.push(makeSection(html, view, marks, titles, INTRO, "Intro", "", 0, firstStart, level));
    ids.add(INTRO);
  }
  cuts.forEach((h, k) => {
    const title = headingText(html, view, h);
    const id = unique(sectionId(title, preset) || "section", ids);
    const start = sections.length === 0 ? 0 : h.start;
    const end = k + 1 < cuts.length ? cuts[k + 1]!.start : html.length;
    sections.push(makeSection(html, view, marks, titles, id, title || id, anchorOf(html, h, title), start, end, level, h));
  });
  // Byte offsets → UTF-16 offsets, in one forward pass (the slices are in order).
  const offsets: number[] = [];
  for (const s of sections) {
    offsets.push(s.start);
    for (const t of s.topics) offsets.push(t.start, t.end);
    offsets.push(s.end);
  }
  offsets.push(html.length);
  toUtf16Offsets(utf8, offsets);
  let k = 0;
  for (const s of sections) {
    s.start = offsets[k++]!;
    for (const t of s.topics) {
      t.start = offsets[k++]!;
      t.end = offsets[k++]!;
    }
    s.end = offsets[k++]!;
  }
  return { split: { sections }, length: offsets[k]! };
}


/** Whether bytes [start, end) are only whitespace (as String.prototype.trim sees it). */
function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = b[k]!;
    if (c >= 0x80) return utf8Text(b, k, end).trim() === "";
    if (!(c === 32 || (c >= 9 && c <= 13))) return false;
  }
  return true;
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
  html: Uint8Array,
  view: DataView,
  marks: Mark[],
  titles: TitleCache,
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
        const t = headingText(html, view, m);
        return { start: m.start, title: t, anchor: anchorOf(html, m, t) };
      });
  } else {
    boundaries = [];
    for (const m of inside) {
      const t = m.kind === "p" ? boldParagraphText(html, view, m) : undefined;
      if (t) boundaries.push({ start: m.start, title: t }); // (its anchor: its title's text fragment)
    }
  }
  return { id, title, anchor, start, end, topics: makeTopics(html, view, titles, id, title, anchor, start, end, boundaries) };
}

function makeTopics(
  html: Uint8Array,
  view: DataView,
  titles: TitleCache,
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
  const leadInText = textOf(html, start, boundaries[0]!.start, view);
  let first = boundaries[0]!.start;
  if (leadInText.length - (sectionId === INTRO ? 0 : sectionTitle.length) >= LEAD_IN_MAX_TEXT) {
    ids.add(sectionId);
    topics.push({ id: sectionId, title: sectionTitle, anchor: sectionAnchor, start, end: first });
  } else {
    first = start;
  }
  boundaries.forEach((b, k) => {
    topics.push({
      id: unique(titles.slug(b.title) || "topic", ids),
      title: b.title,
      anchor: b.anchor,
      start: k === 0 ? first : b.start,
      end: k + 1 < boundaries.length ? boundaries[k + 1]!.start : end,
    });
  });
  return topics;
}

/**
 * The fragment (without "#") that points at a section or topic in the upstream page, if one can
 * be made: its anchor as stored, which is absent when it is the title's text fragment (most are:
 * the state does not carry them, a third of its size), "" when there is none.
 */
export function sliceAnchor(slice: { anchor?: string; title: string }): string | undefined {
  return slice.anchor === undefined ? textFragment(slice.title) : slice.anchor || undefined;
}

function unique(id: string, taken: Set<string>): string {
  let out = id;
  for (let k = 2; taken.has(out); k++) out = `${id}-${k}`;
  taken.add(out);
  return out;
}
