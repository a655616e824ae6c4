/**
 * Bytes → string. Real feeds lie about their encoding in both places, so a byte order mark wins,
 * then the XML declaration, then the HTTP charset, then UTF-8 — except that bytes that are valid
 * UTF-8 served as UTF-8 are UTF-8 whatever the declaration says (as feedparser decides, after
 * RFC 3023: the HTTP header is authoritative, and valid UTF-8 rarely happens by accident). An
 * unknown label falls back to UTF-8.
 */
export function decodeBody(bytes: Uint8Array, contentType?: string | null): string {
  const label = charsetLabel(bytes, contentType);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label ?? "utf-8");
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(bytes);
}

/** True when the body decodes as UTF-8 (what `decodeBody` would use). */
export function isUtf8(bytes: Uint8Array, contentType?: string | null): boolean {
  try {
    return new TextDecoder(charsetLabel(bytes, contentType) ?? "utf-8").encoding === "utf-8";
  } catch {
    return true; // an unknown label falls back to UTF-8
  }
}

/** The encoding label a body declares: byte order mark, XML declaration, HTTP charset. */
function charsetLabel(bytes: Uint8Array, contentType?: string | null): string | undefined {
  let label: string | undefined;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = "utf-8";
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = "utf-16le";
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = "utf-16be";
  if (!label) {
    // The declaration is ASCII: read the first bytes as latin1 to find it.
    const head = String.fromCharCode(...bytes.subarray(0, 200));
    label = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
  }
  const http = contentType ? /charset\s*=\s*"?([A-Za-z0-9._:-]+)/i.exec(contentType)?.[1] : undefined;
  if (label && http && !isUtf8Label(label) && isUtf8Label(http) && validUtf8(bytes)) return "utf-8";
  return label ?? http;
}

function isUtf8Label(label: string): boolean {
  return /^(?:utf-?8|unicode-1-1-utf-8)$/i.test(label);
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function validUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
