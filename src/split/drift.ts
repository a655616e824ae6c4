/**
 * Layout drift: whether the newest issue of a feed splits the way its earlier issues did. A
 * publication that changes its template (or moves to another platform) splits into one section
 * where its issues had many, or loses every section its preset knows: the feed keeps serving what
 * the splitter found, and `/status` says so.
 */
import type { IssueSplit } from "../model.js";
import { INTRO } from "./index.js";
import type { Preset } from "./presets.js";

/** Sections a preset's issues have in every era (AINews: its recaps). */
const EXPECTED: Partial<Record<Preset, string[]>> = {
  ainews: ["twitter", "reddit", "discord", "discord-servers", "discord-channels"],
};

/** Earlier issues count as "many sections" from this median up. */
const MANY = 3;

/** The drift of the newest issue against the earlier ones (newest first), in a sentence; undefined when there is none. */
export function layoutDrift(issues: { title: string; split: IssueSplit }[], preset: Preset): string | undefined {
  const [newest, ...earlier] = issues;
  if (!newest) return undefined;
  const ids = newest.split.sections.map((s) => s.id);
  const expected = EXPECTED[preset];
  if (expected && !ids.some((id) => expected.includes(id))) {
    return `the newest issue ("${newest.title}") has none of the ${preset} preset's sections (${expected.join(", ")}): its layout may have changed`;
  }
  if (earlier.length === 0) return undefined;
  const counts = earlier.map((i) => i.split.sections.filter((s) => s.id !== INTRO).length).sort((a, b) => a - b);
  const median = counts[counts.length >> 1]!;
  const own = ids.filter((id) => id !== INTRO).length;
  if (own <= 1 && median >= MANY) {
    return `the newest issue ("${newest.title}") splits into ${own} section${own === 1 ? "" : "s"} where earlier issues had ${median}: its layout may have changed`;
  }
  return undefined;
}
