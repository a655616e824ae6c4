/**
 * Where a document's root element starts and what it is called, read past what XML allows before
 * it — the declaration, processing instructions, comments, a DOCTYPE (with its internal subset),
 * white space — however long each is. Works on the text or on its bytes (every construct it reads
 * is ASCII).
 */
export interface Root {
  name: string;
  /** Offset of its "<". */
  start: number;
}

type Source = string | Uint8Array;

const code = (src: Source, k: number): number => (typeof src === "string" ? src.charCodeAt(k) : (src[k] ?? Number.NaN));

/** Index just past the next `seq` (ASCII) from `from`, or -1. */
function past(src: Source, seq: string, from: number): number {
  if (typeof src === "string") {
    const at = src.indexOf(seq, from);
    return at < 0 ? -1 : at + seq.length;
  }
  const first = seq.charCodeAt(0);
  for (let k = src.indexOf(first, from); k >= 0; k = src.indexOf(first, k + 1)) {
    let m = 1;
    while (m < seq.length && src[k + m] === seq.charCodeAt(m)) m++;
    if (m === seq.length) return k + m;
  }
  return -1;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
const isNameChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 58 || c === 45 || c === 95 || c === 46;

/** The root element from `from` on, or undefined when the document has none (or is not XML there). */
export function rootElement(src: Source, from = 0): Root | undefined {
  const n = src.length;
  let k = from;
  while (k < n) {
    const c = code(src, k);
    if (isSpace(c) || (k === 0 && c === 0xef && code(src, 1) === 0xbb && code(src, 2) === 0xbf)) {
      k += c === 0xef ? 3 : 1;
      continue;
    }
    if (c !== 60 /* < */) return undefined;
    const d = code(src, k + 1);
    if (d === 63 /* ? */) k = past(src, "?>", k + 2);
    else if (d === 33 /* ! */ && code(src, k + 2) === 45 && code(src, k + 3) === 45) k = past(src, "-->", k + 4);
    else if (d === 33) k = doctypeEnd(src, k + 2);
    else {
      let e = k + 1;
      while (e < n && isNameChar(code(src, e))) e++;
      if (e === k + 1) return undefined;
      let name = "";
      for (let m = k + 1; m < e; m++) name += String.fromCharCode(code(src, m));
      return { name, start: k };
    }
    if (k < 0) return undefined;
  }
  return undefined;
}

/** Past a DOCTYPE whose name starts at `from`: up to its ">", an internal subset "[…]" included. */
function doctypeEnd(src: Source, from: number): number {
  const n = src.length;
  let quote = 0;
  let depth = 0;
  for (let k = from; k < n; k++) {
    const c = code(src, k);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 60 && depth > 0 && code(src, k + 1) === 33 && code(src, k + 2) === 45 && code(src, k + 3) === 45) {
      const end = past(src, "-->", k + 4); // a comment in the internal subset
      if (end < 0) return -1;
      k = end - 1;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 91 /* [ */) depth++;
    else if (c === 93 /* ] */) depth--;
    else if (c === 62 /* > */ && depth <= 0) return k + 1;
  }
  return -1;
}
