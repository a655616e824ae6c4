/**
 * Is a provider's answer a faithful translation of a compacted unit? It must keep the structure:
 * the same elements (each placeholder exactly once, so every link keeps its href), tags balanced
 * where the source's were, and the words that must not change — @handles, URLs, model and
 * product names with digits (GPT-4o, Llama-3-70B) — still there. An answer that fails is retried,
 * then the unit keeps its original text.
 */
import { VOID_ELEMENTS } from "../lib/tags.js";

const VOID = new Set(VOID_ELEMENTS.split(" "));
const ANY_TAG = /<\/?[a-zA-Z][^>]*>/g;
const TAG = /^<(\/)?([a-zA-Z][\w-]*)(?:\s+i="(\d+)")?\s*(\/)?>$/;
const HANDLE = /(?<![\w.])@[A-Za-z0-9_]{2,}/g;
const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;
/** A name with a digit in it: GPT-4o, Llama-3-70B, Phi-3, H100, v0.2 (not plain numbers). */
const NAME_WITH_DIGITS = /(?<![\p{L}\p{N}])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*(?![\p{L}\p{N}])/gu;

interface Shape {
  /** Start tags by "name" or "name#id", with counts; end tags by name. */
  opens: Map<string, number>;
  closes: Map<string, number>;
  balanced: boolean;
  text: string;
}

/** The tags of a compacted fragment, or null if it has a tag that is not of the compacted form. */
function shape(s: string): Shape | null {
  const opens = new Map<string, number>();
  const closes = new Map<string, number>();
  const stack: string[] = [];
  let balanced = true;
  for (const [tag] of s.matchAll(ANY_TAG)) {
    const m = TAG.exec(tag);
    if (!m) return null;
    const name = m[2]!.toLowerCase();
    if (m[1]) {
      closes.set(name, (closes.get(name) ?? 0) + 1);
      if (stack.pop() !== name) balanced = false;
    } else {
      const key = m[3] === undefined ? name : `${name}#${m[3]}`;
      opens.set(key, (opens.get(key) ?? 0) + 1);
      if (!VOID.has(name) && !m[4]) stack.push(name);
    }
  }
  return { opens, closes, balanced: balanced && stack.length === 0, text: s.replace(ANY_TAG, " ") };
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, n] of a) if (b.get(k) !== n) return false;
  return true;
}

/** Words of the source that a translation must carry unchanged. */
export function protectedWords(text: string): string[] {
  const words = new Set<string>();
  for (const [w] of text.matchAll(HANDLE)) words.add(w);
  for (const [w] of text.matchAll(URL_IN_TEXT)) words.add(w.replace(/[).,;:!?'\]]+$/, ""));
  for (const [w] of text.matchAll(NAME_WITH_DIGITS)) if (/\d/.test(w) && !/^[A-Za-z]\d?$/.test(w)) words.add(w);
  return [...words];
}

/** Why `answer` is not an acceptable translation of `source` (both compacted), or null if it is. */
export function checkTranslation(source: string, answer: string): string | null {
  if (!answer.trim()) return "empty answer";
  const a = shape(source);
  const b = shape(answer);
  if (!a) return null; // nothing to hold the answer to (the source itself is not of the compacted form)
  if (!b) return "a tag was added or changed";
  if (!sameCounts(a.opens, b.opens)) return "elements were lost, added or changed (a link or a tag)";
  if (!sameCounts(a.closes, b.closes)) return "end tags were lost or added";
  if (a.balanced && !b.balanced) return "tags are unbalanced";
  const missing = protectedWords(a.text).find((w) => !b.text.includes(w));
  if (missing) return `"${missing}" was changed or dropped`;
  const norm = (t: string) => t.replace(/\s+/g, " ").trim();
  if (norm(a.text).length >= 40 && norm(a.text) === norm(b.text)) return "the answer is the source, untranslated";
  return null;
}

/** Top-level children of a compacted fragment: [start, end) ranges, and their tag names ("" for text). */
export function topLevel(s: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  let depth = 0;
  let pos = 0;
  for (const m of s.matchAll(ANY_TAG)) {
    const t = TAG.exec(m[0]);
    if (!t) continue;
    const name = t[2]!.toLowerCase();
    const at = m.index;
    if (depth === 0 && at > pos && s.slice(pos, at).trim()) out.push({ name: "", start: pos, end: at });
    if (t[1]) {
      depth = Math.max(0, depth - 1);
      if (depth === 0) {
        if (out.length) out[out.length - 1]!.end = at + m[0].length;
        pos = at + m[0].length;
      }
    } else if (VOID.has(name) || t[4]) {
      if (depth === 0) {
        out.push({ name, start: at, end: at + m[0].length });
        pos = at + m[0].length;
      }
    } else {
      if (depth === 0) {
        out.push({ name, start: at, end: at });
        pos = at;
      }
      depth++;
    }
  }
  if (pos < s.length && s.slice(pos).trim()) out.push({ name: "", start: pos, end: s.length });
  return out;
}
