/**
 * The byte routines a feed is read with, over its response bytes: find a byte, hash a range (an
 * entry's source), decode an entry's body (the entity-escaped or CDATA-wrapped HTML, 99%
 * of the bytes) straight into UTF-8 bytes that the sanitizer and the splitter work on and storage
 * keeps as they are — a string is made only if something asks for one.
 *
 * Two builds behind one interface, `ByteReader`: JavaScript (`JsReader`) and WebAssembly
 * (`WasmReader`, wasm.ts, over src/parse/decode.wasm), which both follow the spec of
 * test/parse/routines.case.ts; `readBytes` picks the build, the WebAssembly one once the platform
 * has given the module (`useWasmDecoder`). src/lib/byte-constants.ts names what the builds share.
 */
import { findFarByte, wordsOf } from "../lib/bytes.js";
import { hashBytes } from "../lib/hash.js";
import { decodeJs } from "./decode-js.js";
import type { DecodedBody } from "./decoded.js";
import { WasmBuild, WasmReader } from "./wasm.js";

export interface ByteReader {
  /** The feed's bytes; they must not change while it is read. */
  readonly bytes: Uint8Array;
  /** Index of the first byte `c` from `from`, or -1. */
  find(c: number, from: number): number;
  /** `hashBytes(bytes, start, end)`: depends on those bytes alone. */
  hash(start: number, end: number): string;
  /**
   * The text of XML element content [start, end) as UTF-8 bytes, with the offset of every "<",
   * "=" and multi-byte character of it noted (`decodeJs` says how it reads).
   */
  decode(start: number, end: number): DecodedBody;
}

/** The JavaScript build. */
export class JsReader implements ByteReader {
  #words: Int32Array | undefined;

  constructor(readonly bytes: Uint8Array) {}

  find(c: number, from: number): number {
    return from >= this.bytes.length ? -1 : findFarByte(this.bytes, (this.#words ??= wordsOf(this.bytes)), c, from);
  }

  hash(start: number, end: number): string {
    return hashBytes(this.bytes, start, end);
  }

  decode(start: number, end: number): DecodedBody {
    return decodeJs(this.bytes, start, end);
  }
}

let wasm: WasmBuild | undefined;

/**
 * Read feeds with `module`, src/parse/decode.wasm, compiled by the platform: a Worker imports it
 * (src/index.ts), Node reads the file. Without one (or `undefined`, or where it cannot be
 * instantiated), the JavaScript build does the work. Whether the WebAssembly build is in use.
 */
export function useWasmDecoder(module: WebAssembly.Module | undefined): boolean {
  wasm = module && WasmBuild.create(module);
  return wasm !== undefined;
}

/** The reader of a feed's bytes, in the build in use. */
export function readBytes(bytes: Uint8Array): ByteReader {
  const js = new JsReader(bytes);
  return wasm ? new WasmReader(wasm, bytes, js) : js;
}
