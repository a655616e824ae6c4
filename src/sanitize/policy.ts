/**
 * What republished HTML may hold: an allowlist after Miniflux's sanitizer
 * (internal/reader/sanitizer), as plain data. The byte pass (./index.ts) enforces it; the tests
 * give the same data to the sanitize-html library and check that nothing the library would drop
 * survives the pass (test/sanitize/).
 *
 * Class names and a few inline styles are kept because they say what a part of an email is (a
 * section title styled bold and large, a cell named "header"): the splitter reads them.
 */

/** Attributes every allowed element may carry. */
export const GLOBAL_ATTRIBUTES = ["class", "id", "title", "lang", "dir", "style"] as const;

/** Allowed elements and their own attributes; any other element is unwrapped (its content kept). */
export const ALLOWED: Record<string, readonly string[]> = {
  a: ["href"],
  abbr: [],
  address: [],
  article: [],
  aside: [],
  audio: ["src", "controls"],
  b: [],
  bdi: [],
  bdo: [],
  blockquote: ["cite"],
  br: [],
  caption: [],
  cite: [],
  code: [],
  col: ["span", "width"],
  colgroup: ["span", "width"],
  dd: [],
  del: ["cite", "datetime"],
  details: ["open"],
  dfn: [],
  div: [],
  dl: [],
  dt: [],
  em: [],
  figcaption: [],
  figure: [],
  footer: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  header: [],
  hgroup: [],
  hr: [],
  i: [],
  iframe: ["src", "width", "height", "allowfullscreen"],
  img: ["src", "srcset", "sizes", "alt", "width", "height"],
  ins: ["cite", "datetime"],
  kbd: [],
  li: ["value"],
  main: [],
  mark: [],
  nav: [],
  ol: ["start", "reversed", "type"],
  p: [],
  picture: [],
  pre: [],
  q: ["cite"],
  rp: [],
  rt: [],
  ruby: [],
  s: [],
  samp: [],
  section: [],
  small: [],
  source: ["src", "srcset", "sizes", "type", "media"],
  span: [],
  strong: [],
  sub: [],
  summary: [],
  sup: [],
  table: ["width", "align"],
  tbody: [],
  td: ["colspan", "rowspan", "align", "valign", "width"],
  tfoot: [],
  th: ["colspan", "rowspan", "align", "valign", "width", "scope"],
  thead: [],
  time: ["datetime"],
  tr: [],
  u: [],
  ul: [],
  var: [],
  video: ["src", "poster", "width", "height", "controls"],
  wbr: [],
};

/**
 * Dropped with everything inside them: code, styles, frames, forms' widgets, foreign content
 * (SVG and MathML parse by other rules: a classic road to mutation XSS), the document head.
 */
export const DROPPED_WITH_CONTENT = [
  "script", "style", "noscript", "template", "object", "applet", "embed", "frame", "frameset", "noframes", "noembed",
  "xmp", "plaintext", "textarea", "title", "select", "svg", "math", "base", "meta", "link", "input", "param", "portal",
] as const;

/** Schemes a link (`a href`, `cite`) may have; a URL without a scheme is relative and kept. */
export const LINK_SCHEMES = ["http", "https", "mailto", "tel", "ftp", "sftp", "irc", "ircs", "xmpp", "magnet", "webcal", "feed", "news", "geo", "sms"] as const;

/** Schemes of what an element loads (`src`, `srcset`, `poster`). */
export const MEDIA_SCHEMES = ["http", "https"] as const;

/** `data:` images allowed in `img src` (not SVG: it can hold script). */
export const DATA_IMAGE_TYPES = ["png", "jpeg", "jpg", "gif", "webp", "avif"] as const;

/** Hosts an iframe may show (https only): video players. Other iframes are dropped with their content. */
export const IFRAME_HOSTS = ["www.youtube.com", "www.youtube-nocookie.com", "youtube.com", "player.vimeo.com"] as const;

/** Inline style properties kept, each with the values it may take; every other declaration is dropped. */
export const STYLES: Record<string, RegExp> = {
  "font-weight": /^(?:normal|bold|bolder|lighter|[1-9]00)$/,
  "font-style": /^(?:normal|italic|oblique)$/,
  "font-size": /^(?:\d{1,3}(?:\.\d{1,3})?(?:px|pt|em|rem|%)|xx-small|x-small|small|medium|large|x-large|xx-large|xxx-large|smaller|larger)$/,
  "text-align": /^(?:left|right|center|justify|start|end)$/,
  "text-decoration": /^(?:none|underline|line-through|overline)$/,
};

/** Added to every link: a reader's page is not reachable from the linked one, and sends no referrer. */
export const LINK_REL = "noopener noreferrer";

/** Longest `id` and class name kept (longer ones are dropped). */
export const MAX_NAME_CHARS = 128;
