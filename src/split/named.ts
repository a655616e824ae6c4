/**
 * Boundaries a feed names itself, for a layout the automatic rules miss: which elements are
 * sections and which are topics, as lists of simple selectors (`h2`, `.story-title`,
 * `td.page_title`; comma-separated). When a feed names them, only those elements cut its issues.
 */

/** A simple selector: a tag name, class names, or both (all must match). */
export interface Selector {
  tag?: string;
  classes: string[];
}

export interface NamedBoundaries {
  sections: Selector[];
  topics: Selector[];
}

/** What the scanner notes of an element that a named boundary matches. */
export const NAMED_SECTION = 1;
export const NAMED_TOPIC = 2;

const SIMPLE = /^([a-z][a-z0-9]*)?((?:\.[A-Za-z_][\w-]*)*)$/;

/** "td.page_title, h2" → selectors; throws an Error naming the first one it cannot read. */
export function parseSelectors(list: string): Selector[] {
  return list.split(",").map((raw) => {
    const text = raw.trim();
    const m = SIMPLE.exec(text);
    if (!text || !m || (!m[1] && !m[2])) throw new Error(`"${text}" is not a tag name, a .class or tag.class`);
    // (Class names compared in lower case, as the scanner reads them.)
    return { tag: m[1], classes: m[2] ? m[2].slice(1).toLowerCase().split(".") : [] };
  });
}

/** A feed's `split` setting as selector lists: `sections` required, `topics` optional. */
export interface SplitSetting {
  sections: string;
  topics?: string;
}

/** The boundaries a `split` setting names; throws an Error naming what it cannot read. */
export function namedBoundaries(setting: SplitSetting): NamedBoundaries {
  return { sections: parseSelectors(setting.sections), topics: setting.topics ? parseSelectors(setting.topics) : [] };
}

/** The setting as one string: a stored split made with another is made again. */
export function splitKey(setting: SplitSetting | undefined): string | undefined {
  return setting && `${setting.sections}|${setting.topics ?? ""}`;
}

/** NAMED_SECTION, NAMED_TOPIC or 0 for an element named `tag` (lower case) with these classes. */
export function namedRole(named: NamedBoundaries, tag: string, classes: string[]): number {
  const hit = (s: Selector) => (!s.tag || s.tag === tag) && s.classes.every((c) => classes.includes(c));
  if (named.sections.some(hit)) return NAMED_SECTION;
  if (named.topics.some(hit)) return NAMED_TOPIC;
  return 0;
}
