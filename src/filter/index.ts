import type { FeedItem, Granularity, SectionSlice, TopicSlice } from "../model.js";
import { hash53 } from "../lib/hash.js";
import type { FeedState, StoredIssue } from "../storage/state.js";

export const GRANULARITIES: readonly Granularity[] = ["issue", "section", "topic"];
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;

export interface Selection {
  granularity: Granularity;
  /** Only this section (by id). */
  section?: string;
  limit: number;
}

/** One item to be: an issue, or a section of it, or a topic of a section. */
export interface Picked {
  issue: StoredIssue;
  section?: SectionSlice;
  topic?: TopicSlice;
}

/**
 * Choose items from a feed's state, newest issue first and in document order within an issue,
 * without touching any HTML: only the picked issues' bodies need to be loaded afterwards.
 */
export function pickItems(state: FeedState, sel: Selection): Picked[] {
  const out: Picked[] = [];
  for (const issue of state.issues) {
    if (sel.granularity === "issue") {
      out.push({ issue });
    } else {
      for (const section of issue.split.sections) {
        if (sel.section && section.id !== sel.section) continue;
        if (sel.granularity === "section") out.push({ issue, section });
        else for (const topic of section.topics) out.push({ issue, section, topic });
        if (out.length >= sel.limit) break;
      }
    }
    if (out.length >= sel.limit) break;
  }
  return out.slice(0, sel.limit);
}

/** Sections seen across a feed's issues, in the newest issue's order, with their item counts. */
export function listSections(state: FeedState): { id: string; title: string; items: number }[] {
  const sections = new Map<string, { id: string; title: string; items: number }>();
  for (const issue of state.issues) {
    for (const s of issue.split.sections) {
      const known = sections.get(s.id);
      if (known) known.items++;
      else sections.set(s.id, { id: s.id, title: s.title, items: 1 });
    }
  }
  return [...sections.values()];
}

/**
 * Make a feed item of a picked slice. Ids derive from the upstream id and the section/topic ids
 * only, so they are stable across refreshes and deploys; a whole issue keeps its upstream id.
 */
export function toFeedItem(p: Picked, issueHtml: string): FeedItem {
  const { issue, section, topic } = p;
  const base = {
    date: issue.date,
    author: issue.author,
  };
  if (!section) {
    return { ...base, id: issue.id, title: issue.title || "(untitled)", link: issue.link, categories: issue.categories, html: issueHtml };
  }
  const slice = topic ?? section;
  const anchor = slice.anchor ?? section.anchor;
  const label = topic && topic.id !== section.id ? `${section.title} / ${topic.title}` : section.title;
  return {
    ...base,
    id: `urn:feedslice:${hash53(issue.id)}:${section.id}${topic ? `:${topic.id}` : ""}`,
    title: issue.title ? `${label} · ${issue.title}` : label,
    link: anchor && !issue.link.includes("#") ? `${issue.link}#${anchor}` : issue.link,
    categories: [section.id, ...issue.categories.filter((c) => c !== section.id)],
    html: issueHtml.slice(slice.start, slice.end),
    section: section.id,
    topic: topic?.id,
  };
}
