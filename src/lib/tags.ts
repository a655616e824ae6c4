/**
 * Tag and attribute names read from UTF-8 bytes as numbers, and tables of what each name means:
 * one lookup per tag, no string made. Shared by the splitter's scanner and the sanitizer.
 */

/** a–z (either case) 1–26, 0–9 27–36, "-" 37, ":" 38; 0 for anything else (the name ends). */
export const CODE6 = new Uint8Array(256);
for (let c = 0; c < 26; c++) CODE6[97 + c] = CODE6[65 + c] = c + 1;
for (let c = 0; c < 10; c++) CODE6[48 + c] = 27 + c;
CODE6[45] = 37;
CODE6[58] = 38;

// HTML's element categories that both tag readers (the splitter's scanner, the sanitizer) follow,
// as space-separated names for KeyTable.add.

/** Void elements: no content and no end tag. */
export const VOID_ELEMENTS = "area base br col embed frame hr img input keygen link meta param source track wbr";
/** Raw-text and escapable raw-text elements: their content is text up to their own end tag. */
export const RAW_TEXT_ELEMENTS = "iframe noembed noframes plaintext script style textarea title xmp";
/** Start tags that close an open <p> (HTML's "close a p element" rule). */
export const CLOSES_P_ELEMENTS =
  "address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul";
export const HEADING_ELEMENTS = "h1 h2 h3 h4 h5 h6";
/** Elements that end a run of words: made text (`htmlToText`), each is a space. */
export const WORD_BREAK_ELEMENTS = "br p div li ul ol h1 h2 h3 h4 h5 h6 tr td th blockquote pre hr table";
/** Blocks a bilingual translation interleaves one by one with their originals (src/translate/index.ts). */
export const INTERLEAVED_BLOCKS = "p li ul ol h1 h2 h3 h4 h5 h6 blockquote div table figure dl section hr pre";

/** Names up to this long are their key exactly (6 bits a character, 48 bits). */
export const MAX_KEYED = 8;

/** The key of every long name that no table knows, when no map numbers them. */
export const UNKNOWN_LONG = -(2 ** 40);

/** Long names (past MAX_KEYED) that some table gives a meaning to: negative keys, by lower-case name. */
const LONG = new Map<string, number>();

/**
 * A name as a number, case folded: exact up to 8 characters. A longer name is a negative number:
 * its index among the long names tables know, else among those `local` has seen (numbered per
 * scan by the caller's map); without `local`, UNKNOWN_LONG.
 */
export function keyOf(name: string, local?: Map<string, number>): number {
  if (name.length > MAX_KEYED) {
    let id = LONG.get(name) ?? local?.get(name);
    if (id === undefined) {
      if (!local) return UNKNOWN_LONG;
      local.set(name, (id = -(LONG.size + local.size + 1)));
    }
    return id;
  }
  let key = 0;
  for (let k = 0; k < name.length; k++) key = key * 64 + CODE6[name.charCodeAt(k)]!;
  return key;
}

/**
 * The key of the name in b[start, end) (bytes whose CODE6 is not 0); `local` numbers long
 * names that no table knows.
 */
export function keyOfBytes(b: Uint8Array, start: number, end: number, local?: Map<string, number>): number {
  if (end - start > MAX_KEYED) return keyOf(asciiName(b, start, end), local);
  let key = 0;
  for (let k = start; k < end; k++) key = key * 64 + CODE6[b[k]!]!;
  return key;
}

/** A name's bytes (all ASCII) as a lower-case string; past 256 characters, only its first 256. */
export function asciiName(b: Uint8Array, start: number, end: number): string {
  let name = "";
  for (let k = start; k < end && k < start + 256; k++) name += String.fromCharCode(b[k]! | (b[k]! >= 65 && b[k]! <= 90 ? 32 : 0));
  return name;
}

/**
 * Name keys → small numbers (bit flags, an index), in an open-addressing table of typed arrays: a
 * lookup without hashing a double (most keys are past the small-integer range) as a Map would.
 * 0 for a name the table does not hold.
 */
export class KeyTable {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  /** `bits`: the table has 2^bits slots (keep it under half full). */
  constructor(bits = 8) {
    this.keys = new Float64Array(1 << bits);
    this.values = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  private slot(key: number): number {
    // The low 32 bits of the key (its last five characters), mixed.
    let k = Math.imul(key | 0, 0x9e3779b1) >>> this.shift;
    while (this.keys[k] !== 0 && this.keys[k] !== key) k = (k + 1) & this.mask;
    return k;
  }

  get(key: number): number {
    return this.values[this.slot(key)]!;
  }

  /** ORs `value` into what each of the space-separated `names` has. */
  add(names: string, value: number): this {
    for (const name of names.split(" ")) {
      if (name.length > MAX_KEYED && !LONG.has(name)) LONG.set(name, -(LONG.size + 1));
      const key = keyOf(name);
      const k = this.slot(key);
      this.keys[k] = key;
      this.values[k] = this.values[k]! | value;
    }
    return this;
  }
}
