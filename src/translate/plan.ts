/**
 * What of an issue goes to a translator, and in which pieces.
 *
 * An item's HTML is cut into pieces: runs of whole sibling elements and text (units, sent to the
 * provider) and the markup around them (copied as is). A unit never starts or ends inside an
 * element; an element too big for one unit is opened and its children are packed instead, its own
 * tags copied. Pieces are planned per topic slice, so a topic, its section and its issue share
 * the same units: a translation made for one view serves the others (`memo` keeps the plans of
 * ranges already planned).
 *
 * Before sending, a unit is compacted: every start tag with attributes becomes `<name i="k">` and
 * code, pre and the like become empty `<code i="k"></code>`. URLs, attributes and code never reach
 * the provider (nothing to mistranslate, fewer characters to pay for) and are put back verbatim.
 */
import { Parser } from "htmlparser2";
import type { IssueSplit } from "../model.js";

/** A piece of an issue's HTML, [start, end): a unit to translate, or markup copied as is. */
export interface Piece {
  start: number;
  end: number;
  unit: boolean;
}

/** A unit ready to send: compacted text, and what its placeholders stand for. */
export interface Compact {
  text: string;
  /** Placeholder k → the original start tag (or, for kept elements, the whole element). */
  tags: string[];
}

/** Elements whose content is never translated: kept byte for byte. */
export const KEEP = new Set(["code", "pre", "kbd", "samp", "script", "style", "svg", "math", "template", "textarea"]);

/** Default size of a unit, in characters of source HTML. */
export const UNIT_CHARS = 4000;

interface Node {
  name?: string; // undefined for text
  start: number;
  end: number;
  innerStart: number;
  innerEnd: number;
  children: Node[];
}

/** Element and text nodes of a fragment, with source offsets; stray end tags and comments are gaps. */
function parseTree(src: string): Node[] {
  const root: Node = { start: 0, end: src.length, innerStart: 0, innerEnd: src.length, children: [] };
  const stack: Node[] = [root];
  const parser = new Parser(
    {
      onopentag(name) {
        const node: Node = { name, start: parser.startIndex, end: -1, innerStart: parser.endIndex + 1, innerEnd: -1, children: [] };
        stack[stack.length - 1]!.children.push(node);
        stack.push(node);
      },
      onclosetag(_name, implied) {
        const node = stack.pop();
        if (!node || node === root) return;
        if (!implied) [node.innerEnd, node.end] = [parser.startIndex, parser.endIndex + 1];
        else if (parser.startIndex === node.start) [node.innerEnd, node.end] = [node.innerStart, node.innerStart]; // void or <x/>
        else [node.innerEnd, node.end] = [parser.startIndex, parser.startIndex]; // closed by what follows
      },
      ontext() {
        const kids = stack[stack.length - 1]!.children;
        const last = kids[kids.length - 1];
        const [start, end] = [parser.startIndex, parser.endIndex + 1];
        if (last && !last.name && last.end === start) last.end = last.innerEnd = end;
        else kids.push({ start, end, innerStart: start, innerEnd: end, children: [] });
      },
    },
    { decodeEntities: false },
  );
  parser.end(src);
  for (const node of stack.slice(1)) if (node.end < 0) [node.innerEnd, node.end] = [src.length, src.length];
  return root.children;
}

/** Does a fragment hold words to translate (letters outside tags and kept elements)? */
function hasWords(src: string): boolean {
  return /\p{L}/u.test(src.replace(/<(code|pre|kbd|samp|script|style|svg|math)\b[\s\S]*?<\/\1>/gi, "").replace(/<[^>]*>|&[#\w]+;/g, ""));
}

/** Plan [from, to) of `html`: pieces covering it exactly, in order. */
export function planRange(html: string, from: number, to: number, max = UNIT_CHARS): Piece[] {
  const src = html.slice(from, to);
  const out: Piece[] = [];
  const emit = (start: number, end: number, unit: boolean) => {
    if (end <= start) return;
    if (unit) {
      // Whitespace around a unit stays outside it; a unit without words is copied.
      const body = src.slice(start, end);
      const lead = body.length - body.trimStart().length;
      const trail = body.length - body.trimEnd().length;
      if (lead === body.length || !hasWords(body)) return emit(start, end, false);
      emit(start, start + lead, false);
      out.push({ start: from + start + lead, end: from + end - trail, unit: true });
      return emit(end - trail, end, false);
    }
    const last = out[out.length - 1];
    if (last && !last.unit && last.end === from + start) last.end = from + end;
    else out.push({ start: from + start, end: from + end, unit: false });
  };
  const layout = (nodes: Node[], start: number, end: number) => {
    let pos = start;
    let group = -1; // start of the group of siblings being packed, or -1
    const flush = (at: number) => {
      if (group >= 0) emit(group, at, true);
      group = -1;
    };
    for (const node of nodes) {
      if (node.start > pos) {
        // A stray end tag or a comment between siblings: copied, and it ends the group.
        flush(pos);
        emit(pos, node.start, false);
      }
      const size = node.end - node.start;
      if (size <= max) {
        if (group >= 0 && node.end - group > max) flush(node.start);
        if (group < 0) group = node.start;
      } else if (!node.name) {
        flush(node.start);
        for (const [a, b] of sentences(src, node.start, node.end, max)) emit(a, b, true);
      } else if (KEEP.has(node.name)) {
        flush(node.start);
        emit(node.start, node.end, false);
      } else {
        flush(node.start);
        emit(node.start, node.innerStart, false);
        layout(node.children, node.innerStart, node.innerEnd);
        emit(node.innerEnd, node.end, false);
      }
      pos = node.end;
    }
    flush(pos);
    emit(pos, end, false);
  };
  layout(parseTree(src), 0, src.length);
  return out;
}

/** Cut a long run of text after sentence ends, into parts of at most `max` characters where possible. */
function sentences(src: string, start: number, end: number, max: number): [number, number][] {
  const parts: [number, number][] = [];
  let a = start;
  while (end - a > max) {
    const window = src.slice(a, a + max);
    const cut = Math.max(window.lastIndexOf(". "), window.lastIndexOf("。"), window.lastIndexOf("\n"));
    const b = cut > max / 4 ? a + cut + 1 : a + max;
    parts.push([a, b]);
    a = b;
  }
  parts.push([a, end]);
  return parts;
}

/**
 * Plan an item: the range [start, end) of an issue, cut at every topic boundary inside it so that
 * the pieces are the same whichever view (issue, section, topic) asks.
 */
export function planItem(html: string, split: IssueSplit, start: number, end: number, max = UNIT_CHARS, memo?: Map<string, Piece[]>): Piece[] {
  const cuts = new Set([start, end]);
  for (const s of split.sections) for (const t of s.topics) for (const at of [t.start, t.end]) if (at > start && at < end) cuts.add(at);
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: Piece[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    const pieces = memo?.get(`${a}:${b}`) ?? planRange(html, a, b, max);
    memo?.set(`${a}:${b}`, pieces);
    out.push(...pieces);
  }
  return out;
}

/** Compact a unit for sending: attributes and kept elements become numbered placeholders. */
export function compact(src: string): Compact {
  const tags: string[] = [];
  let text = "";
  let last = 0;
  let keep: { name: string; depth: number; start: number } | undefined;
  const placeholder = (name: string, original: string, end: number, closed: boolean) => {
    text += `<${name} i="${tags.length}">${closed ? `</${name}>` : ""}`;
    tags.push(original);
    last = end;
  };
  const parser = new Parser(
    {
      onopentag(name, _attrs, implied) {
        if (implied) return;
        const [s, e] = [parser.startIndex, parser.endIndex + 1];
        if (keep) {
          if (name === keep.name) keep.depth++;
          return;
        }
        text += src.slice(last, s);
        last = s;
        if (KEEP.has(name)) keep = { name, depth: 1, start: s };
        else if (e - s > name.length + 2) placeholder(name, src.slice(s, e), e, false);
      },
      onclosetag(name, implied) {
        if (!keep || name !== keep.name || --keep.depth > 0) return;
        const end = implied ? parser.startIndex : parser.endIndex + 1;
        placeholder(name, src.slice(keep.start, end), end, true);
        keep = undefined;
      },
    },
    { decodeEntities: false },
  );
  parser.end(src);
  if (keep) placeholder(keep.name, src.slice(keep.start), src.length, true);
  text += src.slice(last);
  return { text, tags };
}

const PLACEHOLDER = /<([a-zA-Z][\w-]*)\s+i="(\d+)"\s*\/?>/g;

/** Put the originals back into a (translated) compacted unit. */
export function restore(text: string, tags: string[]): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!.toLowerCase();
    const original = tags[Number(m[2])];
    if (original === undefined) continue;
    out += text.slice(last, m.index) + original;
    last = m.index + m[0].length;
    if (KEEP.has(name)) {
      // A kept element is whole in `original`: skip whatever the provider left up to its end tag.
      const close = text.toLowerCase().indexOf(`</${name}>`, last);
      if (close >= 0) last = close + name.length + 3;
    }
  }
  return out + text.slice(last);
}
