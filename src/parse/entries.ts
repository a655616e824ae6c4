/**
 * Find the entries (<item> or <entry>) of an XML feed without parsing it: the feed is cut into
 * its head and one raw string per entry, so that each entry can be hashed, compared with what is
 * stored, and parsed only when it is new or changed. CDATA sections and comments are skipped
 * whole, so markup inside them is never taken for an entry boundary.
 */
export function findEntries(xml: string, tag: string): { head: string; entries: string[] } {
  const open = `<${tag}`;
  const close = `</${tag}`;
  const entries: string[] = [];
  let head = "";
  let last = 0;
  let start = -1;
  let i = xml.indexOf("<");
  while (i >= 0) {
    if (xml.startsWith("<![CDATA[", i)) {
      i = after(xml, "]]>", i + 9);
    } else if (xml.startsWith("<!--", i)) {
      i = after(xml, "-->", i + 4);
    } else if (start < 0 && xml.startsWith(open, i) && isBoundary(xml.charCodeAt(i + open.length))) {
      start = i;
      i += open.length;
    } else if (start >= 0 && xml.startsWith(close, i) && isBoundary(xml.charCodeAt(i + close.length))) {
      const end = after(xml, ">", i);
      head += xml.slice(last, start);
      entries.push(xml.slice(start, end));
      last = end;
      start = -1;
      i = end;
    } else {
      i++;
    }
    i = i < 0 ? -1 : xml.indexOf("<", i);
  }
  // An unterminated last entry stays in the head; the parser reports it.
  return { head: head + xml.slice(last), entries };
}

function after(s: string, needle: string, from: number): number {
  const at = s.indexOf(needle, from);
  return at < 0 ? s.length : at + needle.length;
}

/** After a tag name: whitespace, ">" or "/". */
function isBoundary(c: number): boolean {
  return c === 62 || c === 47 || c === 32 || c === 10 || c === 13 || c === 9;
}
