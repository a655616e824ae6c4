/**
 * Reading an XML feed from its UTF-8 bytes, without decoding the whole body into a string:
 * entries are found by scanning bytes (every delimiter that matters is ASCII, and in UTF-8 an
 * ASCII byte is always that character), hashed as bytes, and decoded one at a time when they
 * are new. An entry's body (description, content:encoded, content, summary — the HTML,
 * 99% of the bytes) is decoded by `decodeXmlText` straight from the bytes: entity references,
 * CDATA sections and the characters XML forbids are handled in one pass, into UTF-8 bytes that
 * the splitter cuts and storage keeps as they are: a string is made only if something asks for
 * one. The rest of an entry is small and goes through the XML parser.
 */
import { type Utf8Html, utf8Bytes, utf8Text } from "../lib/utf8.js";
import { findFarByte, wordsOf } from "../lib/bytes.js";
import { finishHash, hashBytes } from "../lib/hash.js";
import { relativeUrlTags } from "./links.js";

const LT = 60; // <
const GT = 62; // >
const AMP = 38; // &
const SLASH = 47; // /
const BANG = 33; // !

/** Where an entry lies in the body: [start, end), from its "<" to after its end tag's ">". */
export interface EntryRange {
  start: number;
  end: number;
  /**
   * Where its markup is: the offset of every "<" after its start tag, up to its end tag's, that
   * does not open a CDATA section, a comment or a declaration (those are skipped whole). Text
   * and CDATA lie between them: an entry's bodies are found without scanning them again.
   */
  tags: number[];
}

/** ASCII text as bytes: tag names, made once each. */
const ASCII = new Map<string, Uint8Array>();
function ascii(s: string): Uint8Array {
  let bytes = ASCII.get(s);
  if (!bytes) {
    bytes = new Uint8Array(s.length);
    for (let k = 0; k < s.length; k++) bytes[k] = s.charCodeAt(k);
    if (ASCII.size < 64) ASCII.set(s, bytes);
  }
  return bytes;
}
const CDATA = ascii("<![CDATA[");
const COMMENT = ascii("<!--");

function startsWith(b: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at + needle.length > b.length) return false;
  for (let k = 0; k < needle.length; k++) if (b[at + k] !== needle[k]) return false;
  return true;
}

/** Index just after the next `a b c` (three bytes) from `from`, or the end of `b`. */
function after3(b: Uint8Array, x: number, y: number, z: number, from: number, end = b.length): number {
  for (let i = b.indexOf(x, from); i >= 0 && i < end; i = b.indexOf(x, i + 1)) {
    if (b[i + 1] === y && b[i + 2] === z) return i + 3;
  }
  return end;
}

/** Index of the "]]>" that closes a CDATA section whose content starts at `from`; -1 if none before `end`. */
function cdataEnd(b: Uint8Array, from: number, end: number): number {
  for (let i = b.indexOf(93, from); i >= 0 && i + 2 < end; i = b.indexOf(93, i + 1)) {
    if (b[i + 1] === 93 && b[i + 2] === GT) return i;
  }
  return -1;
}

/** Past a "<!…" construct at `i`: a CDATA section, a comment, or a declaration. */
function skipBang(b: Uint8Array, i: number, end = b.length): number {
  if (startsWith(b, i, CDATA)) return after3(b, 93, 93, GT, i + 9, end); // ]]>
  if (startsWith(b, i, COMMENT)) return after3(b, 45, 45, GT, i + 4, end); // -->
  const gt = b.indexOf(GT, i + 2);
  return gt < 0 || gt > end ? end : gt + 1;
}

/** After a tag name: whitespace, ">" or "/". */
function isBoundary(c: number | undefined): boolean {
  return c === GT || c === SLASH || c === 32 || c === 10 || c === 13 || c === 9;
}

function nameAt(b: Uint8Array, at: number, name: Uint8Array): boolean {
  return startsWith(b, at, name) && isBoundary(b[at + name.length]);
}

/**
 * The entries (`<item>` or `<entry>` elements) of a feed, found one after the other from `from`:
 * the same cutting rules as `findEntries` (CDATA and comments skipped whole), on bytes. Lazy, so
 * that a refresh can stop at the first entry it already has.
 */
export function* entryRanges(body: FeedBody, tag: string, from = 0): Generator<EntryRange> {
  const b = body.bytes;
  const open = ascii(`<${tag}`);
  const close = ascii(`</${tag}`);
  let start = -1;
  let tags: number[] = [];
  let i = body.find(LT, from);
  while (i >= 0) {
    if (b[i + 1] === BANG) {
      i = skipBang(b, i);
    } else if (start < 0 && nameAt(b, i, open)) {
      start = i;
      tags = [];
      i += open.length;
    } else if (start >= 0 && nameAt(b, i, close)) {
      const gt = b.indexOf(GT, i);
      const end = gt < 0 ? b.length : gt + 1;
      tags.push(i);
      yield { start, end, tags };
      start = -1;
      i = end;
    } else {
      if (start >= 0) tags.push(i);
      i++;
    }
    i = i >= b.length ? -1 : body.find(LT, i);
  }
}

/** End of the last end tag of `tag` in `b` (after its ">"), searching back to `from`; `from` if none. */
export function lastEndTag(b: Uint8Array, tag: string, from: number): number {
  const close = ascii(`</${tag}`);
  for (let i = b.lastIndexOf(LT); i >= from; i = i === 0 ? -1 : b.lastIndexOf(LT, i - 1)) {
    if (nameAt(b, i, close)) {
      const gt = b.indexOf(GT, i);
      return gt < 0 ? b.length : gt + 1;
    }
  }
  return from;
}

/** A body element found inside an entry: the element's inner range, its name and its start tag. */
export interface BodyElement {
  name: string;
  tagStart: number;
  innerStart: number;
  innerEnd: number;
}

/**
 * The direct children of an entry whose content is only text and CDATA (an issue's escaped or
 * CDATA-wrapped HTML), among `names`. A child with element content (Atom xhtml) is not returned:
 * the XML parser reads it.
 */
export function bodyElements(b: Uint8Array, entry: EntryRange, names: readonly string[]): BodyElement[] {
  const wanted = names.map((n) => ({ name: n, bytes: ascii(n) }));
  const out: BodyElement[] = [];
  const { tags } = entry;
  let depth = 0;
  let gt = entry.start;
  for (let t = 0; t < tags.length; t++) {
    const i = tags[t]!;
    const c = b[i + 1];
    if (c === 63 /* ? */ || i <= gt) continue; // a processing instruction, or a "<" inside the last tag
    if (c === SLASH) {
      depth--;
      continue;
    }
    gt = tagEnd(b, i, entry.end);
    const selfClosing = b[gt - 1] === SLASH;
    if (depth === 0 && !selfClosing) {
      const hit = wanted.find((w) => nameAt(b, i + 1, w.bytes));
      // Text and CDATA only: the next markup is the element's end tag.
      const close = tags[t + 1];
      if (hit && close !== undefined && close > gt && b[close + 1] === SLASH && nameAt(b, close + 2, hit.bytes)) {
        out.push({ name: hit.name, tagStart: i, innerStart: gt + 1, innerEnd: close });
        t++;
        continue;
      }
    }
    if (!selfClosing) depth++;
  }
  return out;
}

/** The ">" that ends the tag at `i`, skipping quoted attribute values. */
function tagEnd(b: Uint8Array, i: number, end: number): number {
  let quote = 0;
  for (let k = i + 1; k < end; k++) {
    const c = b[k]!;
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === GT) return k;
  }
  return end - 1;
}

let scratch = new Uint8Array(0);
let ltScratch: Int32Array = new Int32Array(1024);
let wideScratch: Int32Array = new Int32Array(1024);
let eqScratch: Int32Array = new Int32Array(1024);

/** "&lt;", "&gt;", "&amp" and "&quo" as little-endian 32-bit words. */
const W_LT = 0x3b746c26;
const W_GT = 0x3b746726;
const W_AMP = 0x706d6126;
const W_QUO = 0x6f757126;

/**
 * The text of XML element content [start, end) of UTF-8 bytes, as `decodeRaw` + `stripXmlForbidden`
 * would give it, as UTF-8 bytes: CDATA sections literally, entity references (the five XML ones
 * and numeric references) decoded elsewhere, the characters XML 1.0 forbids dropped. The result
 * is valid UTF-8 (invalid sequences become U+FFFD, as TextDecoder makes them), so that it can be
 * stored and sliced as it is and becomes the same string whenever it is decoded. On the way it
 * notes where each "<", each "=" and each multi-byte character lands: the splitter then needs no
 * pass of its own to find tags or to count UTF-16 units (`Utf8Html`), nor the link check one to
 * find attributes. Two builds give the same bytes and notes: the WebAssembly one when the
 * platform gave it (`useWasmDecoder`), for bodies of 256 bytes to 1 MB, else the JavaScript one.
 * (`FeedBody.decode` does the same for a body inside a feed that it holds.)
 */
export function decodeXmlText(b: Uint8Array, start: number, end: number): DecodedBody {
  const length = end - start;
  if (!wasm || length < WASM_MIN_BYTES || length > WASM_MAX_BYTES) return decodeInJs(b, start, end);
  // The bytes copied in where a held feed starts (which is then no longer held), with the few
  // after `end` that a look ahead may read, as the JavaScript decoder sees them.
  const w = room(wasm, HELD + align(length + 16) + workspace(length));
  if (!w) return decodeInJs(b, start, end);
  holder = undefined;
  const memory = new Uint8Array(w.memory.buffer);
  const copied = Math.min(end + 16, b.length) - start;
  memory.set(b.subarray(start, start + copied), HELD);
  memory.fill(0, HELD + copied, HELD + length + 16); // past the feed: nothing
  return decodeWithWasm(w, HELD, length, HELD + align(length + 16)) ?? decodeInJs(b, start, end);
}

/**
 * A feed's response bytes, with what the feed reader does on them — find a byte, hash a range
 * (`hashBytes`), decode a body (`decodeXmlText`) — done in WebAssembly when the platform gave the
 * module: the bytes are copied into its memory once, as far as they are read (half a megabyte or
 * more at a time), and every routine runs on that copy. The module's memory holds one feed at a
 * time: when another is read meanwhile (a refresh of another upstream, between two awaits), the
 * routines go on in JavaScript, or with the bytes copied in again, with the same results. The bytes
 * must not change while it is in use.
 */
export class FeedBody {
  /** How many bytes, from the start, are in the WebAssembly memory (at HELD), when it holds them. */
  #held = 0;
  /** The instance whose memory holds them. */
  #in: WasmModule | undefined;
  #words: Int32Array | undefined;

  constructor(readonly bytes: Uint8Array) {}

  /** Index of the first byte `c` from `from`, or -1. */
  find(c: number, from: number): number {
    const n = this.bytes.length;
    while (from < n && this.#hold(from, Math.min(n, from + HOLD_STEP))) {
      const held = this.#held;
      const at = this.#in!.find(HELD + from, HELD + held, c) - HELD;
      if (at < held) return at;
      from = held;
    }
    if (from >= n) return -1;
    return findFarByte(this.bytes, (this.#words ??= wordsOf(this.bytes)), c, from);
  }

  /** `hashBytes(bytes, start, end)`. */
  hash(start: number, end: number): string {
    if (!this.#hold(start, end)) return hashBytes(this.bytes, start, end);
    const w = this.#in!;
    w.lanes(HELD + start, HELD + end);
    return finishHash(new Int32Array(w.memory.buffer, 16, 8), this.bytes, start, end);
  }

  /** `decodeXmlText(bytes, start, end)`. */
  decode(start: number, end: number): DecodedBody {
    const length = end - start;
    if (length < WASM_MIN_BYTES || length > WASM_MAX_BYTES || !this.#hold(start, end)) return decodeXmlText(this.bytes, start, end);
    return decodeWithWasm(this.#in!, HELD + start, length, HELD + align(this.bytes.length + 16)) ?? decodeInJs(this.bytes, start, end);
  }

  /**
   * Whether the WebAssembly memory holds the bytes [from, end) (and the 16 after them that a look
   * ahead may read, or zeros past the last), copying what it lacks. The copy grows from the start
   * as the feed is read: false for bytes more than a step further on (a spot check of a stored
   * layout: done in JavaScript rather than with all before it copied), when the module is not in
   * use, or when the body is too big for it.
   */
  #hold(from: number, end: number): boolean {
    let w = wasm;
    const b = this.bytes;
    if (!w || b.length > HOLD_MAX_BYTES) return false;
    const holds = holder === this && this.#in === w;
    if (from > (holds ? this.#held : 0) + HOLD_STEP) return false;
    if (!holds) {
      // Room for the body and for decoding any entry of it.
      w = room(w, HELD + align(b.length + 16) + workspace(Math.min(b.length, WASM_MAX_BYTES)));
      if (!w) return false;
      holder = this;
      this.#in = w;
      this.#held = 0;
    }
    const want = Math.min(b.length, end + 16);
    if (want > this.#held) {
      const to = Math.min(b.length, Math.max(want, this.#held + HOLD_STEP));
      const memory = new Uint8Array(w.memory.buffer);
      memory.set(b.subarray(this.#held, to), HELD + this.#held);
      if (to === b.length) memory.fill(0, HELD + to, HELD + to + 16);
      this.#held = to;
    }
    return true;
  }
}

/** The feed whose bytes the WebAssembly memory holds. */
let holder: FeedBody | undefined;

/** The WebAssembly build of the byte routines, once the platform has given it (`useWasmDecoder`). */
interface WasmModule {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  decode(src: number, end: number, out: number, lt: number, eq: number, wide: number): number;
  lanes(src: number, end: number): void;
  find(src: number, end: number, c: number): number;
}
let wasm: WasmModule | undefined;
/** Below this many bytes, copying in and out costs more than the WebAssembly loop saves. */
const WASM_MIN_BYTES = 256;
/** Above this many, a body is decoded by the JavaScript decoder. */
const WASM_MAX_BYTES = 1 << 20;
/** A feed above this many bytes is not held: it is read in JavaScript. */
const HOLD_MAX_BYTES = 16 << 20;
/** The least a feed's copy grows by. */
const HOLD_STEP = 512 << 10;
/** Where a held feed starts in memory: after the note counts (at 0) and the hash lanes (at 16). */
const HELD = 64;
const PAGE = 65536;
/** The most memory an instance is given: a feed held, and the room to decode its longest body (29 MB). */
const MAX_MEMORY = HELD + HOLD_MAX_BYTES + 16 + workspace(WASM_MAX_BYTES) + PAGE;

/** What decoding a body of `length` bytes needs after it: the result, and room for every note. */
function workspace(length: number): number {
  return align(length + 16) + 3 * (4 * length + 8) + 8;
}

/**
 * Decode with `module`, src/parse/decode.wasm (wasm/decode.ts: the same decoder, sixteen bytes a
 * step, and the search and hash lanes of `FeedBody`), compiled by the platform: a Worker imports
 * it (src/index.ts), Node reads the file. Without one (or `undefined`, or where it cannot be
 * instantiated), JavaScript does the work. Whether the WebAssembly build is in use.
 */
export function useWasmDecoder(module: WebAssembly.Module | undefined): boolean {
  wasm = module && instantiate(module, PAGE);
  holder = undefined;
  return wasm !== undefined;
}

/**
 * An instance of the module with a memory of its own of at least `bytes` (the module imports its
 * memory). What needs more gets a new instance with a new memory, at least twice as big, rather
 * than the memory grown: growing detaches the memory's old ArrayBuffer, and V8 answers the first
 * detached buffer of an isolate by checking for detachment at every typed-array access from then
 * on, in all code — a fifth more instructions for the ingest. The old memory is collected.
 */
function instantiate(module: WebAssembly.Module, bytes: number): WasmModule | undefined {
  try {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Omit<WasmModule, "module" | "memory">;
    return { module, memory, decode: exports.decode, lanes: exports.lanes, find: exports.find };
  } catch {
    return undefined;
  }
}

/** The instance in use with at least `bytes` of memory (a new one if need be); undefined if none can be made. */
function room(w: WasmModule, bytes: number): WasmModule | undefined {
  if (w.memory.buffer.byteLength >= bytes) return w;
  if (bytes > MAX_MEMORY) return undefined;
  const bigger = instantiate(w.module, Math.min(Math.max(bytes, 2 * w.memory.buffer.byteLength), MAX_MEMORY));
  if (bigger) wasm = bigger;
  return bigger;
}

/**
 * `decodeInJs` by the WebAssembly decoder, on a body of `length` bytes at `src` in its memory (with
 * the 16 bytes after it that a look ahead may read), into `out` and the room after it
 * (`workspace`); the result and its notes are copied out. Undefined when the bytes are not valid
 * UTF-8: the JavaScript decoder says how they read.
 */
function decodeWithWasm(w: WasmModule, src: number, length: number, out: number): DecodedBody | undefined {
  const lt = align(out + length + 16);
  const eq = lt + 4 * length + 8;
  const wide = eq + 4 * length + 8;
  const n = w.decode(src, src + length, out, lt, eq, wide);
  if (n < 0) return undefined;
  const counts = new Uint32Array(w.memory.buffer, 0, 3);
  const notes = (at: number, count: number) => new Int32Array(w.memory.buffer, at, count).slice();
  return new DecodedBody({ bytes: new Uint8Array(w.memory.buffer, out, n).slice(), lt: notes(lt, counts[0]!), wide: notes(wide, counts[2]!) }, notes(eq, counts[1]!));
}

function align(n: number): number {
  return (n + 7) & ~7;
}

/** `decodeXmlText` in JavaScript: four bytes a step. */
function decodeInJs(b: Uint8Array, start: number, end: number): DecodedBody {
  if (scratch.length < end - start) scratch = new Uint8Array(Math.max(end - start, scratch.length * 2));
  const out = scratch;
  const words = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const outWords = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let lt = ltScratch;
  let wide = wideScratch;
  let eq = eqScratch;
  let nl = 0;
  let nw = 0;
  let ne = 0;
  let o = 0;
  let i = start;
  let valid = true;
  const wordsEnd = end - 4;
  while (i < end) {
    // Four bytes at a time while none of them needs a look: no byte below 0x20 (tab and newline
    // included), none from 0x80, no "&", "<" or "=". The word is written anyway; `clean` says how
    // many of its bytes stand (the rest are written again below).
    if (i <= wordsEnd) {
      let flags = 0;
      do {
        const w = words.getInt32(i, true);
        const a = w ^ 0x26262626; // "&" → 0
        const l = w ^ 0x3c3c3c3c; // "<" → 0, "=" → 1
        // Bytes below 0x20 or from 0x80, zero bytes of `a`, bytes of `l` below 2 (the lowest
        // flagged byte is always a true one: a borrow only reaches the bytes above it).
        flags = (((w - 0x20202020) & ~w) | w | ((a - 0x01010101) & ~a) | ((l - 0x02020202) & ~l)) & 0x80808080;
        outWords.setInt32(o, w, true);
        if (flags !== 0) break;
        o += 4;
        i += 4;
      } while (i <= wordsEnd);
      if (flags === 0) continue;
      // Bytes before the first flagged one (the lowest set bit) are plain.
      const clean = (31 - Math.clz32(flags & -flags)) >>> 3;
      o += clean;
      i += clean;
      // The flagged byte: most often the "&lt;" or "&gt;" of escaped HTML (the only place they
      // are decoded: with fewer than four bytes left, neither fits).
      if (i <= wordsEnd) {
        const w = words.getInt32(i, true);
        if (w === W_LT) {
          lt = ltScratch = put(lt, nl++, o);
          out[o++] = LT;
          i += 4;
          continue;
        }
        if (w === W_GT) {
          out[o++] = GT;
          i += 4;
          continue;
        }
      }
    }
    const c = b[i]!;
    if (c === AMP) {
      const w = i <= wordsEnd ? words.getInt32(i, true) : 0;
      if (w === W_QUO && b[i + 4] === 116 && b[i + 5] === 59 && i + 5 < end) {
        out[o++] = 34;
        i += 6;
      } else if (w === W_AMP && b[i + 4] === 59 && i + 4 < end) {
        out[o++] = AMP;
        i += 5;
      } else {
        const r = entity(b, i, end);
        if (r < 0) {
          out[o++] = c;
          i++;
        } else {
          const cp = r & 0x1fffff;
          i += r >>> 21;
          if (cp === LT) {
            lt = ltScratch = put(lt, nl++, o);
          } else if (cp === 61) {
            eq = eqScratch = put(eq, ne++, o);
          } else if (cp >= 0x80 && cp !== NONE) {
            if (nw === wide.length) wide = wideScratch = grow(wide);
            wide[nw++] = o;
            wide[nw++] = cp < 0x800 ? 1 : 2; // bytes less UTF-16 units
          }
          if (cp !== NONE) o = putCodePoint(out, o, cp);
        }
      }
    } else if (c >= 0x80) {
      if (nw === wide.length) wide = wideScratch = grow(wide);
      const n = copySequence(b, i, end, out, o, wide, nw);
      if (n === 0) {
        valid = false; // TextDecoder will say how it reads
        out[o++] = c;
        i++;
      } else {
        if (n > 0) (o += n), (nw += 2);
        i += Math.abs(n);
      }
    } else if (c === LT && startsWith(b, i, CDATA)) {
      // Literal up to "]]>", still without forbidden characters.
      i += 9;
      const close = cdataEnd(b, i, end);
      const stop = close < 0 ? end : close;
      while (i < stop) {
        const d = b[i]!;
        if (d >= 0x80) {
          if (nw === wide.length) wide = wideScratch = grow(wide);
          const n = copySequence(b, i, stop, out, o, wide, nw);
          if (n === 0) {
            valid = false;
            out[o++] = d;
            i++;
          } else {
            if (n > 0) (o += n), (nw += 2);
            i += Math.abs(n);
          }
        } else {
          if (d === LT) {
            lt = ltScratch = put(lt, nl++, o);
          } else if (d === 61) {
            eq = eqScratch = put(eq, ne++, o);
          }
          if (d >= 32 || d === 9 || d === 10 || d === 13) out[o++] = d;
          i++;
        }
      }
      i = close < 0 ? end : close + 3;
    } else if (c < 32 && c !== 9 && c !== 10 && c !== 13) {
      i++; // a forbidden control character
    } else {
      if (c === LT) {
        // a "<" of markup in text: kept as it is
        lt = ltScratch = put(lt, nl++, o);
      } else if (c === 61) {
        eq = eqScratch = put(eq, ne++, o);
      }
      out[o++] = c; // (or "=", a tab, a newline)
      i++;
    }
  }
  const decoded = valid
    ? new DecodedBody({ bytes: out.slice(0, o), lt: lt.slice(0, nl), wide: wide.slice(0, nw) }, eq.subarray(0, ne))
    : new DecodedBody({ bytes: utf8Bytes(utf8Text(out, 0, o)) });
  releaseScratch();
  return decoded;
}

/** What the scratch buffers may keep between bodies; one that grew past it is let go. */
const KEEP_SCRATCH = 4 << 20;

function releaseScratch(): void {
  if (scratch.length > KEEP_SCRATCH) scratch = new Uint8Array(0);
  if (ltScratch.length > KEEP_SCRATCH / 4) ltScratch = new Int32Array(1024);
  if (wideScratch.length > KEEP_SCRATCH / 4) wideScratch = new Int32Array(1024);
  if (eqScratch.length > KEEP_SCRATCH / 4) eqScratch = new Int32Array(1024);
}

/** a[n] = v, in `a` or, when it is full, in a copy twice as long (returned). */
function put(a: Int32Array, n: number, v: number): Int32Array {
  if (n === a.length) a = grow(a);
  a[n] = v;
  return a;
}

/** The array twice as long, with the same start; the wide characters' pairs fit (lengths are even). */
function grow(a: Int32Array): Int32Array {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

/**
 * Copy the UTF-8 sequence at b[i] (a byte from 0x80, before `stop`) to out[o] and note it at
 * wide[w] (an offset and how many UTF-16 units it is shorter: `Utf8Html.wide`). Returns its length;
 * minus its length when it was dropped (U+FFFE, U+FFFF: nothing written or noted); 0 when it is
 * not a valid sequence (nothing done).
 */
function copySequence(b: Uint8Array, i: number, stop: number, out: Uint8Array, o: number, wide: Int32Array, w: number): number {
  const length = sequenceLength(b, i, stop);
  if (length === 3 && b[i] === 0xef && b[i + 1] === 0xbf && b[i + 2]! >= 0xbe) return -3;
  if (length === 0) return 0;
  wide[w] = o;
  wide[w + 1] = length === 2 ? 1 : 2;
  for (let k = 0; k < length; k++) out[o + k] = b[i + k]!;
  return length;
}

/**
 * Length of the valid UTF-8 sequence at `i` (a byte from 0x80), before `end`; 0 when it is not
 * one (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, cut short).
 */
function sequenceLength(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  const c1 = b[i + 1]!;
  if (c < 0xc2 || c > 0xf4 || i + 1 >= end || (c1 & 0xc0) !== 0x80) return 0;
  if (c < 0xe0) return 2;
  const c2 = b[i + 2]!;
  if (i + 2 >= end || (c2 & 0xc0) !== 0x80) return 0;
  if (c < 0xf0) return (c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f) ? 0 : 3;
  if (i + 3 >= end || (b[i + 3]! & 0xc0) !== 0x80) return 0;
  return (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f) ? 0 : 4;
}


/** A body decoded from bytes: its HTML as UTF-8, and where it may hold relative URLs. */
export class DecodedBody {
  #text?: string;
  /** The tags that hold a relative URL (links.ts' `relativeUrlTags`); undefined when unsure. */
  readonly relativeTags: [number, number][] | undefined;

  /** `equals`: the offset of every "=" in the HTML, in order, when the decoder noted them. */
  constructor(
    readonly html: Utf8Html,
    equals?: Int32Array,
  ) {
    this.relativeTags = relativeUrlTags(html.bytes, equals);
  }

  /** The HTML as a string, decoded on first use. */
  get text(): string {
    return (this.#text ??= utf8Text(this.html.bytes));
  }
}

/** Marks a reference that decodes to nothing (a forbidden character). */
const NONE = 0x1fffff;

/**
 * The entity reference at `i` ("&"): (length << 21) | code point, NONE as the code point when
 * the character is one XML forbids, or -1 when it is not a reference (kept literally, as the
 * `entities` XML decoder does).
 */
function entity(b: Uint8Array, i: number, end: number): number {
  const c1 = b[i + 1];
  if (c1 === 108 /* l */ || c1 === 103 /* g */) {
    if (b[i + 2] === 116 && b[i + 3] === 59 && i + 3 < end) return (4 << 21) | (c1 === 108 ? LT : GT);
    return -1;
  }
  if (c1 === 113 /* q */) {
    if (b[i + 2] === 117 && b[i + 3] === 111 && b[i + 4] === 116 && b[i + 5] === 59 && i + 5 < end) return (6 << 21) | 34;
    return -1;
  }
  if (c1 === 97 /* a */) {
    if (b[i + 2] === 109 && b[i + 3] === 112 && b[i + 4] === 59 && i + 4 < end) return (5 << 21) | AMP;
    if (b[i + 2] === 112 && b[i + 3] === 111 && b[i + 4] === 115 && b[i + 5] === 59 && i + 5 < end) return (6 << 21) | 39;
    return -1;
  }
  if (c1 !== 35 /* # */) return -1;
  let k = i + 2;
  const hex = b[k] === 120 || b[k] === 88;
  if (hex) k++;
  const digits = k;
  let cp = 0;
  for (; k < end; k++) {
    const d = b[k]!;
    let v: number;
    if (d >= 48 && d <= 57) v = d - 48;
    else if (hex && d >= 97 && d <= 102) v = d - 87;
    else if (hex && d >= 65 && d <= 70) v = d - 55;
    else break;
    cp = Math.min(cp * (hex ? 16 : 10) + v, 0x110000);
  }
  if (k === digits || b[k] !== 59 || k >= end || k - i + 1 >= 1 << 10) return -1;
  // As the `entities` XML decoder: NUL, surrogates and values past U+10FFFF become U+FFFD.
  if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  // Then as stripXmlForbidden: C0 controls other than tab, LF, CR, and U+FFFE/U+FFFF go.
  if ((cp < 32 && cp !== 9 && cp !== 10 && cp !== 13) || cp === 0xfffe || cp === 0xffff) cp = NONE;
  return ((k - i + 1) << 21) | cp;
}

function putCodePoint(out: Uint8Array, o: number, cp: number): number {
  if (cp < 0x80) out[o++] = cp;
  else if (cp < 0x800) {
    out[o++] = 0xc0 | (cp >> 6);
    out[o++] = 0x80 | (cp & 63);
  } else if (cp < 0x10000) {
    out[o++] = 0xe0 | (cp >> 12);
    out[o++] = 0x80 | ((cp >> 6) & 63);
    out[o++] = 0x80 | (cp & 63);
  } else {
    out[o++] = 0xf0 | (cp >> 18);
    out[o++] = 0x80 | ((cp >> 12) & 63);
    out[o++] = 0x80 | ((cp >> 6) & 63);
    out[o++] = 0x80 | (cp & 63);
  }
  return o;
}

