import { slugify } from "../lib/text.js";

export const PRESETS = ["ainews", "headings"] as const;
export type Preset = (typeof PRESETS)[number];

/**
 * AINews has renamed its sections over the years; the ids stay the same so that a subscription to
 * /feeds/ainews/discord-servers.rss survives the next rename. Order matters: the Discord parts
 * before the generic Discord recap.
 */
const AINEWS: [RegExp, string][] = [
  [/twitter/i, "twitter"],
  [/reddit/i, "reddit"],
  [/^\s*part\s*1\b|high[- ]level discord/i, "discord-servers"],
  [/^\s*part\s*2\b|by[- ]channel/i, "discord-channels"],
  [/discord/i, "discord"],
];

/**
 * The section id for a heading's text; "" only if the text has no letters or digits. `known`: the
 * ids this publication's earlier issues use, by `sectionFamily`: a heading that differs from one
 * of those only in a date, a number, an emoji, punctuation or a plural keeps its id.
 */
export function sectionId(title: string, preset: Preset, known?: Map<string, string>): string {
  if (preset === "ainews") {
    for (const [re, id] of AINEWS) if (re.test(title)) return id;
  }
  const family = known && sectionFamily(title);
  const same = family && known.get(family);
  if (same) return same;
  const slug = slugify(title);
  // Dates and numbers out of the id, so that "News, March 3" and "News, March 4" are one section.
  const plain = slug.split("-").filter((w) => !isDateOrNumber(w)).join("-");
  const id = plain || slug;
  if (family && !known.has(family)) known.set(family, id);
  return id;
}

const MONTHS = "january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec";
const DAYS = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun";
const DATE_WORDS = new Set(`${MONTHS} ${DAYS}`.split(" "));

function isDateOrNumber(word: string): boolean {
  return /^\d+(?:st|nd|rd|th)?$/.test(word) || DATE_WORDS.has(word);
}

/** What makes two headings the same section: their words, without dates and numbers, singular. */
export function sectionFamily(title: string): string {
  return slugify(title, 200)
    .split("-")
    .filter((w) => w && !isDateOrNumber(w))
    .map(singular)
    .join("-");
}

function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(?:ss|us|is)$/.test(word)) return word;
  if (/(?:ches|shes|xes|sses)$/.test(word)) return word.slice(0, -2);
  return word.endsWith("s") ? word.slice(0, -1) : word;
}
