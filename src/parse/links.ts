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
  if (!base || !/\s(?:href|src|poster|cite)\s*=\s*["'](?![a-zA-Z][a-zA-Z0-9+.-]*:)/.test(html)) return html;
  return html.replace(URL_ATTR, (whole, prefix: string, dq?: string, sq?: string) => {
    const value = dq ?? sq ?? "";
    if (ABSOLUTE.test(value)) return whole;
    const abs = resolveUrl(value.replace(/&amp;/g, "&"), base);
    if (abs === undefined) return whole;
    const quoted = abs.replace(/&/g, "&amp;").replace(/"/g, "%22");
    return `${prefix}"${quoted}"`;
  });
}
