/**
 * The WebAssembly build of the byte routines (`ByteReader`): src/parse/decode.wasm, compiled from
 * wasm/decode.ts, given by the platform (a Worker imports it; Node reads the file). A feed's bytes
 * are copied into the module's memory once, as far as they are read, and every routine runs on
 * that copy. Where the module cannot help — a body too short to pay for the copy or too long for
 * the memory, bytes far ahead of the copy, bytes that are not valid UTF-8 — the JavaScript build
 * does the work, with the same results.
 */
import { finishHash } from "../lib/hash.js";
import { COUNT_EQ, COUNT_LT, COUNT_WIDE, HELD, LANES_AT, LOOK_AHEAD } from "../lib/byte-constants.js";
import type { ByteReader } from "./bytes.js";
import { DecodedBody } from "./decoded.js";

/** Below this many bytes, copying in and out costs more than the WebAssembly decoder saves. */
const MIN_DECODE_BYTES = 256;
/** Above this many, a body is decoded in JavaScript (the memory stays small). */
const MAX_DECODE_BYTES = 1 << 20;
/** A feed above this many bytes is not held: it is read in JavaScript. */
const MAX_HELD_BYTES = 16 << 20;
/** The least a feed's copy grows by. */
const HOLD_STEP = 512 << 10;
const PAGE = 65536;
/** The most memory an instance is given: a feed held, and the room to decode its longest body (29 MB). */
const MAX_MEMORY = HELD + MAX_HELD_BYTES + LOOK_AHEAD + workspace(MAX_DECODE_BYTES) + PAGE;

/** Whether a body of `length` bytes is decoded by the module. */
function decodes(length: number): boolean {
  return length >= MIN_DECODE_BYTES && length <= MAX_DECODE_BYTES;
}

/** What decoding a body of `length` bytes needs after it: the result, and room for every note. */
function workspace(length: number): number {
  return align(length + LOOK_AHEAD) + 3 * (4 * length + 8) + 8;
}

function align(n: number): number {
  return (n + 7) & ~7;
}

/** An instance of the module and its memory, with the exports wasm/decode.ts defines. */
interface Instance {
  memory: WebAssembly.Memory;
  decode(src: number, end: number, out: number, lt: number, eq: number, wide: number): number;
  lanes(src: number, end: number): void;
  find(src: number, end: number, c: number): number;
}

/**
 * The module in use (one per isolate): its instance, replaced by a bigger one when a feed needs
 * more memory, and which reader's bytes that memory holds.
 */
export class WasmBuild {
  /** The reader whose bytes the memory holds. */
  holder: WasmReader | undefined;

  private constructor(
    readonly module: WebAssembly.Module,
    public instance: Instance,
  ) {}

  /** The build, or undefined when the module cannot be instantiated here. */
  static create(module: WebAssembly.Module): WasmBuild | undefined {
    const instance = instantiate(module, PAGE);
    return instance && new WasmBuild(module, instance);
  }

  /**
   * The instance, with at least `bytes` of memory: a new one if need be, at least twice as big,
   * rather than the memory grown — growing detaches the memory's old ArrayBuffer, and V8 answers
   * the first detached buffer of an isolate by checking for detachment at every typed-array
   * access from then on, in all code. The old memory is collected. Undefined past MAX_MEMORY.
   */
  room(bytes: number): Instance | undefined {
    const now = this.instance.memory.buffer.byteLength;
    if (now >= bytes) return this.instance;
    if (bytes > MAX_MEMORY) return undefined;
    const bigger = instantiate(this.module, Math.min(Math.max(bytes, 2 * now), MAX_MEMORY));
    if (bigger) this.instance = bigger;
    return bigger;
  }
}

function instantiate(module: WebAssembly.Module, bytes: number): Instance | undefined {
  try {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Omit<Instance, "memory">;
    return { memory, decode: exports.decode, lanes: exports.lanes, find: exports.find };
  } catch {
    return undefined;
  }
}

/**
 * A feed's bytes read by the module. The memory holds one feed at a time: when another is read
 * meanwhile (a refresh of another upstream, between two awaits), this one goes on with its bytes
 * copied in again, or in JavaScript. The bytes must not change while it is in use.
 */
export class WasmReader implements ByteReader {
  /** How many bytes, from the start, are in the memory (at HELD), while it holds them. */
  #held = 0;
  /** The instance whose memory holds them. */
  #in: Instance | undefined;

  constructor(
    private readonly build: WasmBuild,
    readonly bytes: Uint8Array,
    private readonly js: ByteReader,
  ) {}

  find(c: number, from: number): number {
    const n = this.bytes.length;
    while (from < n && this.#hold(from, Math.min(n, from + HOLD_STEP))) {
      const held = this.#held;
      const at = this.#in!.find(HELD + from, HELD + held, c) - HELD; // `held` when not found
      if (at < held) return at;
      from = held;
    }
    return from >= n ? -1 : this.js.find(c, from);
  }

  hash(start: number, end: number): string {
    if (!this.#hold(start, end)) return this.js.hash(start, end);
    const w = this.#in!;
    w.lanes(HELD + start, HELD + end);
    return finishHash(new Int32Array(w.memory.buffer, LANES_AT, 8), this.bytes, start, end);
  }

  decode(start: number, end: number): DecodedBody {
    const length = end - start;
    if (!decodes(length)) return this.js.decode(start, end);
    if (this.#hold(start, end)) return decodeAt(this.#in!, HELD + start, length, HELD + align(this.bytes.length + LOOK_AHEAD)) ?? this.js.decode(start, end);
    return this.#decodeCopy(start, end);
  }

  /** `decode` with only [start, end) copied in (at HELD, in place of the feed the memory held). */
  #decodeCopy(start: number, end: number): DecodedBody {
    const length = end - start;
    const w = this.build.room(HELD + align(length + LOOK_AHEAD) + workspace(length));
    if (!w) return this.js.decode(start, end);
    this.build.holder = undefined;
    const memory = new Uint8Array(w.memory.buffer);
    // With the bytes after `end` that a look ahead may read, as the JavaScript decoder sees them.
    const copied = Math.min(end + LOOK_AHEAD, this.bytes.length) - start;
    memory.set(this.bytes.subarray(start, start + copied), HELD);
    memory.fill(0, HELD + copied, HELD + length + LOOK_AHEAD);
    return decodeAt(w, HELD, length, HELD + align(length + LOOK_AHEAD)) ?? this.js.decode(start, end);
  }

  /**
   * Whether the memory holds the bytes [from, end) (and the LOOK_AHEAD after them, or zeros past
   * the last), copying what it lacks. The copy grows from the start as the feed is read: false
   * for bytes more than a step further on (a spot check of a stored layout: done in JavaScript
   * rather than with all before it copied), or when the feed is too big to hold.
   */
  #hold(from: number, end: number): boolean {
    const b = this.bytes;
    if (b.length > MAX_HELD_BYTES) return false;
    const holds = this.build.holder === this && this.#in === this.build.instance;
    if (from > (holds ? this.#held : 0) + HOLD_STEP) return false;
    if (!holds) {
      // Room for the feed and for decoding any entry of it.
      const w = this.build.room(HELD + align(b.length + LOOK_AHEAD) + workspace(Math.min(b.length, MAX_DECODE_BYTES)));
      if (!w) return false;
      this.build.holder = this;
      this.#in = w;
      this.#held = 0;
    }
    const want = Math.min(b.length, end + LOOK_AHEAD);
    if (want > this.#held) {
      const to = Math.min(b.length, Math.max(want, this.#held + HOLD_STEP));
      const memory = new Uint8Array(this.#in!.memory.buffer);
      memory.set(b.subarray(this.#held, to), HELD + this.#held);
      if (to === b.length) memory.fill(0, HELD + to, HELD + to + LOOK_AHEAD);
      this.#held = to;
    }
    return true;
  }
}

/**
 * The module's decoder on a body of `length` bytes at `src` of its memory, into `out` and the
 * room after it (`workspace`); the result and its notes copied out. Undefined when the bytes are
 * not valid UTF-8: the JavaScript decoder says how they read.
 */
function decodeAt(w: Instance, src: number, length: number, out: number): DecodedBody | undefined {
  const lt = align(out + length + LOOK_AHEAD);
  const eq = lt + 4 * length + 8;
  const wide = eq + 4 * length + 8;
  const n = w.decode(src, src + length, out, lt, eq, wide);
  if (n < 0) return undefined;
  const counts = new Uint32Array(w.memory.buffer);
  const notes = (at: number, count: number) => new Int32Array(w.memory.buffer, at, count).slice();
  const html = { bytes: new Uint8Array(w.memory.buffer, out, n).slice(), lt: notes(lt, counts[COUNT_LT >> 2]!), wide: notes(wide, counts[COUNT_WIDE >> 2]!) };
  return new DecodedBody(html, notes(eq, counts[COUNT_EQ >> 2]!));
}
