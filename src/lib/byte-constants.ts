// What the two builds of the byte routines agree on: the JavaScript one (src/parse/decode-js.ts,
// src/lib/hash.ts) and the WebAssembly one (wasm/decode.ts, which imports this file; hosted by
// src/parse/wasm.ts). Plain integer constants only, so that both TypeScript and AssemblyScript
// read the file.

// Bytes the decoder looks for.
export const LT = 60; // <
export const GT = 62; // >
export const AMP = 38; // &
export const EQ = 61; // =
export const QUOT = 34; // "
export const APOS = 39; // '

// "&lt;", "&gt;", "&amp" and "&quo" read as little-endian 32-bit words.
export const W_LT = 0x3b746c26;
export const W_GT = 0x3b746726;
export const W_AMP = 0x706d6126;
export const W_QUO = 0x6f757126;

// An entity reference that decodes to nothing (a character XML forbids), in place of a code point.
export const NONE = 0x1fffff;
// Longest numeric reference read, in bytes ("&#" to ";").
export const MAX_REFERENCE = 1024;

// The entry hash's eight 32-bit lanes: each lane's start value and odd multiplier.
export const SEED_0 = 0x2545f491;
export const SEED_1 = 0x9e3779b9;
export const SEED_2 = 0x7f4a7c15;
export const SEED_3 = 0x3c6ef372;
export const SEED_4 = 0xdaa66d2b;
export const SEED_5 = 0x78dde6e5;
export const SEED_6 = 0x1715609d;
export const SEED_7 = 0xb54cda57;
export const MUL_0 = 0x9e3779b1;
export const MUL_1 = 0x85ebca77;
export const MUL_2 = 0xc2b2ae3d;
export const MUL_3 = 0x27d4eb2f;
export const MUL_4 = 0x165667b1;
export const MUL_5 = 0xd3a2646d;
export const MUL_6 = 0xfd7046c5;
export const MUL_7 = 0xb55a4f09;

// The WebAssembly module's memory (it imports it; the host sizes it).
// `decode` writes its three note counts here (u32 each): "<" notes, "=" notes, wide-character notes.
export const COUNT_LT = 0;
export const COUNT_EQ = 4;
export const COUNT_WIDE = 8;
// `lanes` writes the hash's eight lanes here (i32 each).
export const LANES_AT = 16;
// A feed's bytes are copied in from here on.
export const HELD = 64;
// How many bytes past a range a look ahead may read: the host copies them (or zeros) after it.
export const LOOK_AHEAD = 16;
