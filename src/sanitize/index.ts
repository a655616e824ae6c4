/**
 * The sanitizer: one pass over an issue's HTML as UTF-8 bytes that keeps only what the policy
 * (./policy.ts) allows and leaves the HTML balanced, without building a tree or a string of the
 * issue. It tokenizes as a browser does (HTML's tokenizer states for tags, attributes, comments
 * and raw text) and writes nothing for a tag it keeps as it is: its output is the input with a
 * list of edits applied (a tag dropped or rewritten, an end tag added), so that clean HTML costs
 * a scan and no copy.
 *
 * What comes out, whatever came in:
 * - only allowed elements, each with only its allowed attributes, every value double-quoted with
 *   no raw `"`, `<` or `>`; URLs of allowed schemes only (checked on the value as a browser reads
 *   it: entities decoded, spaces and controls stripped); every link with rel="noopener noreferrer";
 * - no comment, no raw-text element (script, style…), no foreign content (svg, math);
 * - no "<" in text: a "<" that starts no tag is written "&lt;";
 * - every element closed, in order: the end tags HTML implies (an open <p> before a block, an
 *   open <li> before the next) written out, stray end tags dropped, what is open at the end
 *   closed there.
 */
import { findByte, ltOf, viewOf } from "../lib/bytes.js";
import { applyEdits, type Edit, type Replacement, replacement } from "../lib/edits.js";
import { CODE6, keyOfBytes, MAX_KEYED } from "../lib/tags.js";
import { type Utf8Html, utf8Bytes, utf8Text } from "../lib/utf8.js";
import { rawTextEnd, TagReader } from "./tag.js";
import { ALLOWED, ANCHOR, CELL, CLOSES_P, DL, DROP, DT_DD, END_TAGS, ESCAPED_LT, GT, HEADING, IFRAME, IMPLIES_END, INDEX_SHIFT, isSpace, LI, LIST, NOTHING, PARA, RAW, REL, SCOPE, SLASH, TABLE, TABLE_SECTION, TAGS, TR, VOID } from "./tags.js";

/** Sanitize HTML given as a string (a JSON Feed's, a test's). */
export function sanitizeHtml(html: string): string {
  const clean = sanitizeUtf8({ bytes: utf8Bytes(html) });
  return utf8Text(clean.bytes);
}

/**
 * Sanitize UTF-8 HTML: the same bytes when nothing needed changing; else new bytes, with what the
 * decoder noted (`lt`, `wide`) moved along. Either way with the top-level elements (`blocks`), so
 * that the splitter steps over one without reading it.
 */
export function sanitizeUtf8(html: Utf8Html): Utf8Html {
  const lt = html.lt ?? ltOf(html.bytes);
  const edits = PASS.run(html.bytes, lt);
  return { ...applyEdits({ ...html, lt }, edits), blocks: PASS.takeBlocks() };
}

/**
 * The pass's state, one object for the isolate, reset for each issue. One object rather than one
 * per issue: V8's optimized code for the loop holds on to the objects it was compiled with, and a
 * collection that frees them throws that code away (about four times the pass's time, right after
 * a full GC, with an object per issue).
 */
class Pass {
  private edits: Edit[] = [];
  private b: Uint8Array = new Uint8Array(0);
  private lt: Int32Array = new Int32Array(0);
  private view: DataView = viewOf(this.b);
  private n = 0;
  /** Open elements: their index in TAG_NAMES and their flags. */
  private names: Int32Array = new Int32Array(64);
  private flags: Int32Array = new Int32Array(64);
  private depth = 0;
  private at = 0; // in lt
  /** The tag being read: its attributes, its end, what the policy keeps of it. */
  private readonly tag = new TagReader();
  private nameEnd = 0;
  private nameUpper = false;
  /** The top-level elements' output extents (`Utf8Html.blocks`), the first `blockCount` numbers. */
  private blocks: Int32Array = new Int32Array(256);
  private blockCount = 0;
  /** How much longer the output is than the input, up to the edits made so far. */
  private delta = 0;

  /** The edits that sanitize `b` (whose "<" are at `lt`), in order. */
  run(b: Uint8Array, lt: Int32Array): Edit[] {
    this.b = b;
    this.lt = lt;
    this.view = viewOf(b);
    this.n = b.length;
    this.tag.reset(b, this.view);
    this.edits = [];
    this.depth = 0;
    this.at = 0;
    this.blockCount = this.delta = 0;
    this.scan();
    const edits = this.edits;
    this.b = new Uint8Array(0); // the issue is not kept past its pass
    this.lt = new Int32Array(0);
    this.view = viewOf(this.b);
    this.tag.reset(this.b, this.view);
    this.edits = [];
    return edits;
  }

  /** The blocks noted by the last run. */
  takeBlocks(): Int32Array {
    return this.blocks.slice(0, this.blockCount);
  }

  /** A top-level element starts or ends at input offset `at`: noted as where that is in the output. */
  private noteBlock(at: number): void {
    if (this.blockCount === this.blocks.length) this.blocks = grow(this.blocks);
    this.blocks[this.blockCount++] = at + this.delta; // (every edit so far is at or before `at`)
  }

  private nextLt(from: number): number {
    const lt = this.lt;
    while (this.at < lt.length && lt[this.at]! < from) this.at++;
    return this.at < lt.length ? lt[this.at]! : -1;
  }

  private cut(start: number, end: number, bytes: Replacement = NOTHING): void {
    this.edits.push({ start, end, bytes });
    this.delta += bytes.bytes.length - (end - start);
  }

  private scan(): void {
    const { b, n, lt } = this;
    let t = 0; // in lt
    while (t < lt.length) {
      const i = lt[t]!;
      const c = b[i + 1];
      let next: number;
      const plain = c === SLASH ? this.plainEnd(i) : this.plainStart(i);
      if (plain > 0) next = plain;
      else if (c === 33 /* ! */ || c === 63 /* ? */) next = this.comment(i);
      else if (c === SLASH) next = this.endTag(i);
      else if (c !== undefined && ((c | 32) - 97) >>> 0 < 26) next = this.startTag(i);
      else {
        this.cut(i, i + 1, ESCAPED_LT); // a "<" in text
        next = i + 1;
      }
      if (next >= n) break;
      while (t < lt.length && lt[t]! < next) t++;
    }
    this.closeTo(0, n);
  }

  /**
   * The common case of a start tag, a lower-case name and ">" (<li>, <p>, <strong>…) of an allowed
   * element that closes nothing: pushed, kept as it is. Past it, or 0 for any other case.
   */
  private plainStart(i: number): number {
    const key = this.plainName(i + 1);
    if (key < 0) return 0;
    const kind = TAGS.get(key);
    if ((kind & (ALLOWED | IMPLIES_END | ANCHOR | IFRAME)) !== ALLOWED) return 0;
    if (!(kind & VOID)) {
      if (this.depth === 0) this.noteBlock(i);
      this.push(kind);
    }
    return this.nameEnd + 1;
  }

  /** The common case of an end tag: "</", a lower-case name, ">", closing the element on top. Past it, or 0. */
  private plainEnd(i: number): number {
    const key = this.plainName(i + 2);
    if (key < 0 || this.depth === 0) return 0;
    const kind = TAGS.get(key);
    if (!(kind & ALLOWED) || this.names[this.depth - 1] !== kind >>> INDEX_SHIFT) return 0;
    if (--this.depth === 0) this.noteBlock(this.nameEnd + 1);
    return this.nameEnd + 1;
  }

  /** The key of a name of lower-case letters and digits, 1–8 of them, ending at a ">" (`nameEnd`); else -1. */
  private plainName(start: number): number {
    const b = this.b;
    let k = start;
    let key = 0;
    for (const stop = Math.min(start + MAX_KEYED, this.n); k < stop; k++) {
      const c = b[k]!;
      if (c === GT) break;
      if ((c - 97) >>> 0 >= 26 && (c - 48) >>> 0 >= 10) return -1;
      key = key * 64 + CODE6[c]!;
    }
    if (b[k] !== GT || k === start) return -1;
    this.nameEnd = k;
    return key;
  }

  private push(kind: number): void {
    if (this.depth === this.names.length) {
      this.names = grow(this.names);
      this.flags = grow(this.flags);
    }
    this.names[this.depth] = kind >>> INDEX_SHIFT;
    this.flags[this.depth++] = kind;
  }

  /** `<!…` or `<?…` at i: a comment, a CDATA section or a declaration — HTML reads each as a comment. Dropped. */
  private comment(i: number): number {
    const { b, n } = this;
    let end: number;
    if (b[i + 1] === 33 && b[i + 2] === 45 && b[i + 3] === 45) {
      // <!-- … -->, or --!>; "<!-->" and "<!--->" are empty comments
      if (b[i + 4] === GT) end = i + 5;
      else if (b[i + 4] === 45 && b[i + 5] === GT) end = i + 6;
      else {
        end = n;
        for (let k = b.indexOf(45, i + 4); k >= 0 && k + 2 < n; k = b.indexOf(45, k + 1)) {
          if (b[k + 1] !== 45) continue;
          if (b[k + 2] === GT) {
            end = k + 3;
            break;
          }
          if (b[k + 2] === 33 && b[k + 3] === GT) {
            end = k + 4;
            break;
          }
        }
      }
    } else {
      const gt = findByte(b, this.view, GT, i + 2);
      end = gt < 0 ? n : gt + 1;
    }
    this.cut(i, end);
    return end;
  }

  /**
   * The name at `start` (up to a space, "/" or ">"): its key, or NaN when it is no name we could
   * know (a character no tag name of ours has); sets `nameEnd` and `nameUpper`.
   */
  private name(start: number): number {
    const { b, n } = this;
    let k = start;
    let key = 0;
    let known = true;
    let upper = false;
    for (; k < n; k++) {
      const c = b[k]!;
      const code = CODE6[c]!;
      if (code === 0) {
        if (c === GT || c === SLASH || isSpace(c)) break;
        known = false;
        continue;
      }
      if (c >= 65 && c <= 90) upper = true;
      key = key * 64 + code;
    }
    this.nameEnd = k;
    this.nameUpper = upper;
    if (!known) return Number.NaN;
    return k - start > MAX_KEYED ? keyOfBytes(b, start, k) : key;
  }

  private endTag(i: number): number {
    const { b, n } = this;
    const first = b[i + 2];
    if (first === GT) {
      this.cut(i, i + 3); // "</>": nothing
      return i + 3;
    }
    if (first === undefined || ((first | 32) - 97) >>> 0 >= 26) {
      if (first === undefined) {
        this.cut(i, i + 1, ESCAPED_LT);
        return n;
      }
      const gt = findByte(b, this.view, GT, i + 2); // a bogus comment
      const end = gt < 0 ? n : gt + 1;
      this.cut(i, end);
      return end;
    }
    const key = this.name(i + 2);
    const nameEnd = this.nameEnd;
    if (!this.tag.read(nameEnd)) {
      this.cut(i, n);
      return n;
    }
    const after = this.tag.tagEnd + 1;
    const kind = Number.isNaN(key) ? 0 : TAGS.get(key);
    if (!(kind & ALLOWED)) {
      this.cut(i, after);
      return after;
    }
    const index = kind >>> INDEX_SHIFT;
    // The open element it closes: not past a table or a cell, unless it is part of one.
    const tableWise = kind & (TABLE | TABLE_SECTION | TR | CELL);
    let k = this.depth - 1;
    for (; k >= 0; k--) {
      if (this.names[k] === index) break;
      if (this.flags[k]! & (tableWise ? TABLE : SCOPE)) {
        k = -1;
        break;
      }
    }
    if (k < 0) {
      this.cut(i, after); // a stray end tag
      return after;
    }
    this.closeTo(k + 1, i);
    this.depth = k;
    if (this.nameUpper || b[nameEnd] !== GT) this.cut(i, after, END_TAGS[index]); // written plain
    if (k === 0) this.noteBlock(after);
    return after;
  }

  /** Close the open elements from `to` up, writing their end tags at `at`. */
  private closeTo(to: number, at: number): void {
    if (to >= this.depth) return;
    for (let k = this.depth - 1; k >= to; k--) this.cut(at, at, END_TAGS[this.names[k]!]);
    this.depth = to;
    if (to === 0) this.noteBlock(at);
  }

  /** Where the open element with any of `flags` is, searching down to one with any of `stop`; -1 if none. */
  private findOpen(flags: number, stop: number): number {
    for (let k = this.depth - 1; k >= 0; k--) {
      const f = this.flags[k]!;
      if (f & flags) return k;
      if (f & stop) return -1;
    }
    return -1;
  }

  private startTag(i: number): number {
    const { n } = this;
    const key = this.name(i + 1);
    const nameEnd = this.nameEnd;
    if (!this.tag.read(nameEnd)) {
      this.cut(i, n); // a tag cut off by the end of the HTML: nothing, as in a browser
      return n;
    }
    const after = this.tag.tagEnd + 1;
    const kind = Number.isNaN(key) ? 0 : TAGS.get(key);
    if (kind & IFRAME && this.tag.allowedFrame()) return this.keepFrame(i, after);
    if (kind & (DROP | IFRAME)) {
      const end = kind & VOID ? after : kind & RAW ? rawTextEnd(this.b, this.view, i + 1, nameEnd, after) : this.elementEnd(i + 1, nameEnd, after);
      this.cut(i, end);
      return end;
    }
    if (!(kind & ALLOWED)) {
      this.cut(i, after); // unwrapped: the tag goes, its content stays
      return after;
    }
    this.closeImplied(kind, i);
    if (this.depth === 0 && !(kind & VOID)) this.noteBlock(i);
    const index = kind >>> INDEX_SHIFT;
    const rewritten = this.tag.rewrite(index, kind, this.nameUpper);
    if (rewritten) this.cut(i, after, replacement(rewritten));
    else if (kind & ANCHOR) this.cut(this.tag.tagEnd, this.tag.tagEnd, REL);
    if (!(kind & VOID)) this.push(kind);
    return after;
  }

  /** The end tags HTML implies before a start tag of `kind` at `at`. */
  private closeImplied(kind: number, at: number): void {
    if (!(kind & IMPLIES_END)) return;
    if (kind & CLOSES_P) {
      const p = this.findOpen(PARA, SCOPE);
      if (p >= 0) this.closeTo(p, at);
    }
    let k = -1;
    if (kind & LI) k = this.findOpen(LI, LIST | DL | SCOPE);
    if (k < 0 && kind & DT_DD) k = this.findOpen(DT_DD, LIST | DL | SCOPE);
    if (k < 0 && kind & TR) k = this.findOpen(TR, TABLE | TABLE_SECTION);
    if (k < 0 && kind & CELL) k = this.findOpen(CELL, TR | TABLE | TABLE_SECTION);
    if (k < 0 && kind & TABLE_SECTION) k = this.findOpen(TABLE_SECTION, TABLE);
    if (k < 0 && kind & ANCHOR) k = this.findOpen(ANCHOR, SCOPE);
    if (k < 0 && kind & HEADING && this.depth && this.flags[this.depth - 1]! & HEADING) k = this.depth - 1;
    if (k >= 0) this.closeTo(k, at);
  }

  /** An allowed iframe: its tag as the policy keeps it, its content (text to a browser) dropped, its end tag written. */
  private keepFrame(i: number, after: number): number {
    const key = this.name(i + 1);
    const nameEnd = this.nameEnd;
    const kind = TAGS.get(key);
    this.closeImplied(kind, i);
    const index = kind >>> INDEX_SHIFT;
    const tag = this.tag.rewrite(index, kind, this.nameUpper);
    const end = rawTextEnd(this.b, this.view, i + 1, nameEnd, after);
    const closed = new Uint8Array([...(tag ?? this.b.subarray(i, after)), ...END_TAGS[index]!.bytes]);
    this.cut(i, end, replacement(closed));
    return end;
  }

  /**
   * Past the end tag of the element named b[nameStart, nameEnd) whose content starts at `from`
   * (an element dropped with its content): the same name's start and end tags counted, tags read
   * whole, comments and raw text skipped. The end of the HTML if it is never closed.
   */
  private elementEnd(nameStart: number, nameEnd: number, from: number): number {
    const { b, n } = this;
    const key = keyOfBytes(b, nameStart, nameEnd);
    let open = 1;
    for (let i = this.nextLt(from); i >= 0; ) {
      const c = b[i + 1];
      let next = i + 1;
      if (c === 33 || c === 63) {
        const saved = this.edits.length;
        const delta = this.delta;
        next = this.comment(i);
        this.edits.length = saved; // only skipped here: the whole element is cut
        this.delta = delta;
      } else if (c === SLASH || (c !== undefined && ((c | 32) - 97) >>> 0 < 26)) {
        const closing = c === SLASH;
        const start = closing ? i + 2 : i + 1;
        const k = this.name(start);
        const end = this.nameEnd;
        if (!this.tag.read(end)) return n;
        next = this.tag.tagEnd + 1;
        if (k === key) {
          if (closing) open--;
          else if (!this.tag.selfClosing) open++;
          if (open === 0) return next;
        } else if (!closing && !Number.isNaN(k) && TAGS.get(k) & RAW) next = rawTextEnd(this.b, this.view, start, end, next);
      }
      if (next >= n) return n;
      i = this.nextLt(next);
    }
    return n;
  }
}

function grow(a: Int32Array): Int32Array {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

const PASS = new Pass();
