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
 * left untouched (byte for byte); only attributes inside tags are considered.
 */
export function absolutizeLinks(html: string, base: string | undefined): string {
  if (!base || !hasRelativeUrl(html)) return html;
  return html.replace(URL_ATTR, (whole, prefix: string, dq?: string, sq?: string) => {
    const value = dq ?? sq ?? "";
    if (ABSOLUTE.test(value)) return whole;
    const abs = resolveUrl(value.replace(/&amp;/g, "&"), base);
    if (abs === undefined) return whole;
    const quoted = abs.replace(/&/g, "&amp;").replace(/"/g, "%22");
    return `${prefix}"${quoted}"`;
  });
}

const URL_ATTRS = ["href=", "src=", "poster=", "cite="];
const ABSOLUTE_AT = /\s*["']?[a-zA-Z][a-zA-Z0-9+.-]*:/y;

/**
 * A quick pre-check with indexOf (an issue has thousands of links, nearly all absolute): only a
 * body with a relative URL pays for the rewriting pass.
 */
function hasRelativeUrl(html: string): boolean {
  for (const attr of URL_ATTRS) {
    for (let at = html.indexOf(attr); at >= 0; at = html.indexOf(attr, at + attr.length)) {
      ABSOLUTE_AT.lastIndex = at + attr.length;
      if (!ABSOLUTE_AT.test(html)) return true;
    }
  }
  return false;
}
