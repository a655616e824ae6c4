/**
 * cyrb53: a fast, well-distributed 53-bit string hash. Synchronous (unlike crypto.subtle), so the
 * core can derive stable ids and content hashes anywhere. Not for security.
 */
export function hash53(str: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * cyrb53's mixing over bytes [start, end), eight bytes a step (four into each lane): the hash of
 * an upstream entry's source, read straight from the response bytes. Depends on the bytes only,
 * not on where they lie. A change to any four aligned bytes changes the hash for certain.
 */
export function hashBytes(b: Uint8Array, start = 0, end = b.length): string {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let h1 = 0xdeadbeef ^ (end - start);
  let h2 = 0x41c6ce57;
  let i = start;
  for (const last = end - 7; i < last; i += 8) {
    h1 = Math.imul(h1 ^ view.getInt32(i, true), 2654435761);
    h2 = Math.imul(h2 ^ view.getInt32(i + 4, true), 1597334677);
  }
  for (; i < end; i++) {
    h1 = Math.imul(h1 ^ b[i]!, 2654435761);
    h2 = Math.imul(h2 ^ b[i]!, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
