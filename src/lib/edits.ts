import type { Utf8Html } from "./utf8.js";

/** Bytes [start, end) of a text replaced by `bytes` (start = end: an insertion; no bytes: a cut). */
export interface Edit {
  start: number;
  end: number;
  bytes: Replacement;
}

/** Bytes to put in, with where their "<" and their multi-byte characters are (`Utf8Html`'s notes). */
export interface Replacement {
  bytes: Uint8Array<ArrayBufferLike>;
  lt: Int32Array;
  wide: Int32Array;
}

/** `bytes` as a Replacement: its notes found once (an edit used many times is made once). */
export function replacement(bytes: Uint8Array<ArrayBufferLike>): Replacement {
  const lt: number[] = [];
  const wide: number[] = [];
  for (let k = 0; k < bytes.length; k++) {
    const c = bytes[k]!;
    if (c === LT) lt.push(k);
    else if (c >= 0xc0) wide.push(k, c >= 0xe0 ? 2 : 1);
  }
  return { bytes, lt: Int32Array.from(lt), wide: Int32Array.from(wide) };
}

const LT = 60;

/**
 * UTF-8 HTML with `edits` applied (in order, not overlapping; the same object when there are
 * none). What the decoder noted (`lt`, `wide`) is carried over: moved past each edit, found again
 * inside its new bytes, dropped inside what it cut.
 */
export function applyEdits(html: Utf8Html, edits: Edit[]): Utf8Html {
  if (edits.length === 0) return html;
  const { bytes } = html;
  let length = bytes.length;
  for (const e of edits) length += e.bytes.bytes.length - (e.end - e.start);
  const out = new Uint8Array(length);
  let last = 0;
  let o = 0;
  for (const e of edits) {
    o = copy(bytes, last, e.start, out, o);
    o = copy(e.bytes.bytes, 0, e.bytes.bytes.length, out, o);
    last = e.end;
  }
  copy(bytes, last, bytes.length, out, o);
  const lt = html.lt && moveNotes(html.lt, 1, edits);
  const wide = html.wide && moveNotes(html.wide, 2, edits);
  return lt && wide ? { bytes: out, lt, wide } : lt ? { bytes: out, lt } : { bytes: out };
}

/**
 * Notes (`stride` numbers each: an offset, then for wide characters how much shorter they are in
 * UTF-16) of the text before `edits`, for the text after them: those inside an edited range are
 * dropped and found again in its new bytes, those after it move by the change in length.
 */
function moveNotes(notes: Int32Array, stride: 1 | 2, edits: Edit[]): Int32Array {
  let out: Int32Array = new Int32Array(notes.length + 1024);
  let o = 0;
  let n = 0;
  let delta = 0;
  for (const e of edits) {
    // Those before the edit, moved; those inside it, dropped; its own, put in.
    const start = e.start;
    const own = stride === 1 ? e.bytes.lt : e.bytes.wide;
    if (o + notes.length - n + own.length > out.length) out = grown(out, o + notes.length - n + own.length);
    if (stride === 1) for (; n < notes.length && notes[n]! < start; n++) out[o++] = notes[n]! + delta;
    else
      for (; n < notes.length && notes[n]! < start; n += 2) {
        out[o++] = notes[n]! + delta;
        out[o++] = notes[n + 1]!;
      }
    while (n < notes.length && notes[n]! < e.end) n += stride;
    for (let k = 0; k < own.length; k += stride) {
      out[o++] = own[k]! + start + delta;
      if (stride === 2) out[o++] = own[k + 1]!;
    }
    delta += e.bytes.bytes.length - (e.end - start);
  }
  if (o + notes.length - n > out.length) out = grown(out, o + notes.length - n);
  for (; n < notes.length; n += stride) {
    out[o++] = notes[n]! + delta;
    if (stride === 2) out[o++] = notes[n + 1]!;
  }
  return out.slice(0, o);
}

function grown(a: Int32Array, size: number): Int32Array {
  const bigger = new Int32Array(Math.max(size, a.length * 2));
  bigger.set(a);
  return bigger;
}

/** Bytes [from, to) of `src` into `dst` at `at`; where it ends. A loop for short runs (cheaper than a subarray). */
function copy(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): number {
  if (to - from > 48) dst.set(src.subarray(from, to), at);
  else for (let k = from; k < to; k++) dst[at++] = src[k]!;
  return at + (to - from > 48 ? to - from : 0);
}
