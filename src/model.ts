import type { Utf8Html } from "./lib/utf8.js";

/**
 * The data that flows through the pipeline:
 * upstream fetch → parse (UpstreamFeed) → split (IssueSplit) → filter (FeedItem[]) → render.
 * Plain types only, so the core runs in Node as well as in workerd.
 */

/** One upstream entry (an issue of a digest), as the parse stage returns it. */
export interface UpstreamItem {
  /** guid / id / url: whatever identifies the entry upstream; never empty. */
  id: string;
  title: string;
  /** Absolute link to the issue, or "" when the upstream gives none. */
  link: string;
  /** ISO 8601 date, or "" when the upstream gives none. */
  date: string;
  categories: string[];
  author?: string;
  /** The issue's HTML: entities and CDATA decoded, relative links made absolute. */
  html: string;
  /**
   * The same HTML as UTF-8, when it was decoded from the upstream bytes: splitting and storing it
   * then need no string (parse/xml.ts `withBody`).
   */
  utf8?: Utf8Html;
}

export interface UpstreamFeed {
  format: "rss" | "atom" | "json";
  title: string;
  link: string;
  description: string;
  language?: string;
  items: UpstreamItem[];
}

/**
 * A slice [start, end) of an issue's HTML. A slice cut inside nested elements (an email's layout
 * table) lists the offsets of the start tags of the elements open at its start (`open`) and at its
 * end (`close`), outermost first: its item re-opens the first and closes the second
 * (`sliceHtml` in src/split). Absent at the top level.
 */
export interface Slice {
  start: number;
  end: number;
  open?: number[];
  close?: number[];
}

export interface TopicSlice extends Slice {
  id: string;
  title: string;
  /**
   * Fragment (without '#') that points at the topic in the upstream page: absent when it is the
   * title's text fragment, "" when none can be made (`sliceAnchor` in src/split gives it).
   */
  anchor?: string;
}

export interface SectionSlice extends Slice {
  id: string;
  title: string;
  /** As a topic's. */
  anchor?: string;
  /** Contiguous, covering [start, end) exactly. */
  topics: TopicSlice[];
}

/** How an issue splits: sections cover the whole body, contiguous and in order. */
export interface IssueSplit {
  sections: SectionSlice[];
}

export type Granularity = "issue" | "section" | "topic";
export type Format = "rss" | "atom" | "json";

/**
 * A rendered-ready item: one issue, section or topic. For a section or topic, `html` is its slice
 * of the issue, and the other fields are derived from the issue's (see filter/).
 */
export interface FeedItem extends UpstreamItem {
  /** Section id (absent for whole issues). */
  section?: string;
  topic?: string;
  /** Where the item comes from, for the translate stage (not rendered). */
  origin?: ItemOrigin;
}

/** An item's place in its issue: what the translate stage needs to plan it. */
export interface ItemOrigin {
  issueId: string;
  /** Identifies this version of the issue's HTML (its storage key: id hash and content hash). */
  issueKey: string;
  /** The issue's HTML and split, and the item's range of it. */
  html: string;
  split: IssueSplit;
  start: number;
  end: number;
  issueTitle: string;
  /** The section title, then the topic title if the item is a topic: joined by " / " in its title. */
  labels: string[];
  /** The start tags before and the end tags after the range, for a slice inside nested layout. */
  wrap?: [string, string];
}

/** What a rendered feed says about itself. */
export interface FeedMeta {
  title: string;
  description: string;
  /** The upstream's home page. */
  link: string;
  /** This feed's own URL, per format, for self links. */
  selfUrls: Record<Format, string>;
  format: Format;
  language?: string;
  /** Newest item date, or the refresh time when there are no items. */
  updated: string;
  author: string;
}
