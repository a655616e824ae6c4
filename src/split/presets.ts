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

/** The section id for a heading's text; "" only if the text has no letters or digits. */
export function sectionId(title: string, preset: Preset): string {
  if (preset === "ainews") {
    for (const [re, id] of AINEWS) if (re.test(title)) return id;
  }
  return slugify(title);
}
