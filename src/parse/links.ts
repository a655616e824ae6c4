const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const URL_ATTR = /(<[a-zA-Z][^>]*?\s(?:href|src|poster|cite)\s*=\s*)(?:"([^"]*)"|'([^']*)')/g;

/** Resolve `url` against `base`; undefined when either is unusable. */
export function resolveUrl(url: string, base: string | undefined): string | undefined {
  try {
    return new URL(url, base || undefined).href;
  } catch {
    return undefined;
  }
}

/**
 * Make href/src/poster/cite attribute values absolute against `base`, so that a slice of the issue
 * still links correctly when a reader shows it away from the upstream page. Absolute values are
 * left untouched (byte for byte); only attributes inside tags are considered. `known`: what
 * `urlAttributes` would find, when the caller has it already (parse/bytes.ts finds it in bytes).
 */
export function absolutizeLinks(html: string, base: string | undefined, known?: { relative: boolean; tags?: [number, number][] }): string {
  if (!base || known?.relative === false) return html;
  const { relative, tags } = known?.tags ? { relative: true, tags: known.tags } : urlAttributes(html);
  if (!relative) return html;
  const rewrite = (whole: string, prefix: string, dq?: string, sq?: string) => {
    const value = dq ?? sq ?? "";
    if (ABSOLUTE.test(value)) return whole;
    const abs = resolveUrl(value.replace(/&amp;/g, "&"), base);
    if (abs === undefined) return whole;
    const quoted = abs.replace(/&/g, "&amp;").replace(/"/g, "%22");
    return `${prefix}"${quoted}"`;
  };
  // What `html.replace(URL_ATTR, rewrite)` gives, but the pattern runs only over the tags that
  // hold a relative value (a few among thousands of links): from the tag's "<" to that value's end.
  let out = "";
  let last = 0;
  for (const [start, end] of tags) {
    if (start < last) continue;
    out += html.slice(last, start) + html.slice(start, end).replace(URL_ATTR, rewrite);
    last = end;
  }
  return out + html.slice(last);
}

/**
 * One indexOf pass per attribute name (href, src, poster, cite) over the HTML — an issue has
 * thousands of links, nearly all absolute. `relative`: some "name=" is followed by a value that is
 * not absolute (only then are links rewritten). `tags`: [start, end) of each tag a URL_ATTR match
 * with a relative value may lie in, from the "<" before the attribute to after its quoted value,
 * in document order — a superset of the tags URL_ATTR rewrites (each is then matched exactly).
 */
function urlAttributes(html: string): { relative: boolean; tags: [number, number][] } {
  let relative = false;
  const tags: [number, number][] = [];
  for (const name of ["href", "src", "poster", "cite"]) {
    for (let at = html.indexOf(name); at >= 0; at = html.indexOf(name, at + name.length)) {
      let k = at + name.length;
      if (!relative && html.charCodeAt(k) === 61 /* = */) {
        // name= then optional space and quote: relative unless a scheme follows.
        let v = k + 1;
        while (isSpace(html.charCodeAt(v))) v++;
        if (html.charCodeAt(v) === 34 || html.charCodeAt(v) === 39) v++;
        if (!isAbsoluteAt(html, v, html.length)) relative = true;
      }
      if (!isSpace(html.charCodeAt(at - 1))) continue;
      while (isSpace(html.charCodeAt(k))) k++;
      if (html.charCodeAt(k++) !== 61 /* = */) continue;
      while (isSpace(html.charCodeAt(k))) k++;
      const quote = html.charCodeAt(k);
      if (quote !== 34 && quote !== 39) continue;
      const valueEnd = html.indexOf(quote === 34 ? '"' : "'", k + 1);
      if (valueEnd < 0 || isAbsoluteAt(html, k + 1, valueEnd)) continue;
      const lt = html.lastIndexOf("<", at);
      if (lt < 0 || html.lastIndexOf(">", at) > lt) continue;
      tags.push([lt, valueEnd + 1]);
    }
  }
  return { relative, tags: tags.sort((a, b) => a[0] - b[0]) };
}

/** `\s` for the characters that precede or surround an attribute in practice; others fall to URL_ATTR. */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || (c > 127 && /\s/.test(String.fromCharCode(c)));
}

/** ABSOLUTE on html[from, end): a scheme (a letter, then letters, digits, "+", ".", "-") and ":". */
function isAbsoluteAt(html: string, from: number, end: number): boolean {
  const c = html.charCodeAt(from) | 32;
  if (from >= end || c < 97 || c > 122) return false;
  for (let k = from + 1; k < end; k++) {
    const d = html.charCodeAt(k);
    if (d === 58) return true;
    const l = d | 32;
    if (!((l >= 97 && l <= 122) || (d >= 48 && d <= 57) || d === 43 || d === 46 || d === 45)) return false;
  }
  return false;
}
