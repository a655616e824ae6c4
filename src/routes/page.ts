/**
 * GET / — the feed builder: pick a feed, its sections, granularity, filters, language, format and
 * limit; see the feed URL and a preview of its first items. Plain HTML that works without script
 * (the form submits to this page, which answers with the URL and the preview), made live by a
 * small script of our own (/assets/builder.js); a strict Content-Security-Policy, no inline code.
 * The preview is the worker's own JSON Feed for that URL, shown as text: its 400 message, when a
 * value is wrong, next to the field it names.
 */
import type { Env } from "../env.js";
import { listSections } from "../filter/index.js";
import { escapeHtml, htmlToText } from "../lib/text.js";
import { httpUrl } from "../render/values.js";
import { readTranslator } from "../translate/setup.js";
import type { FeedItem, FeedMeta } from "../model.js";
import { BUILDER_CSS, BUILDER_JS, FAVICON_SVG } from "./page-assets.js";
import { feedConfigs, loadState } from "./state.js";
import { feedTitle } from "./urls.js";

/** The fields of the builder, in the order of the feed URL's query. */
const FIELDS = ["section", "granularity", "q", "topic", "q_re", "lang", "limit"] as const;

/** What a feed's page for browsers may load: the page's style. */
export const FEED_VIEW_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Whether a request is a browser opening the URL as a page: browsers send Sec-Fetch-Dest on every
 * request (a header scripts cannot set), readers never do. Such a request gets the feed as an HTML
 * page (`feedView`); everything else gets the feed's bytes.
 */
export function isPageView(request: Request): boolean {
  return request.headers.get("Sec-Fetch-Dest") === "document";
}

/**
 * A feed as a page for a person who opened its URL: how to subscribe (the URL to copy into a
 * reader, the builder), then each item's title, date and first words, as text.
 */
export function feedView(meta: FeedMeta, items: FeedItem[], feedUrl: string): Response {
  const list = items
    .map((i) => `<li><h3>${httpUrl(i.link) ? `<a href="${e(httpUrl(i.link))}">${e(i.title)}</a>` : e(i.title)}</h3><p class="date"><time datetime="${e(i.date)}">${e(i.date.slice(0, 16).replace("T", " "))}</time></p><p>${e(excerpt(i.html))}</p></li>`)
    .join("\n");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(meta.title)}</title>
<link rel="stylesheet" href="/assets/builder.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="${meta.format === "json" ? "application/feed+json" : `application/${meta.format}+xml`}" href="${e(feedUrl)}">
</head>
<body>
<main>
<p class="lead">This is a feed. To subscribe, copy its address into your feed reader: <code>${e(feedUrl)}</code> — or <a href="${e(feedUrl.replace(/^https?:/, "feed:"))}">open it in your reader</a>, or <a href="/">build another feed</a>.</p>
<h1>${e(meta.title)}</h1>
<ol class="items">
${list}
</ol>
</main>
</body>
</html>
`;
  return new Response(html, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": FEED_VIEW_CSP, "Cache-Control": "no-store", Vary: "Sec-Fetch-Dest", "X-Content-Type-Options": "nosniff" },
  });
}

export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

interface FeedChoice {
  id: string;
  title: string;
  sections: { id: string; title: string; items: number; recurring: boolean }[];
  issues: number;
}

/** The feed URL (path and query) the builder's fields make. */
export function builderUrl(feed: string, format: string, fields: URLSearchParams): string {
  const query = new URLSearchParams();
  for (const name of FIELDS) {
    const values = fields.getAll(name).filter((v) => v !== "");
    if (values.length && !(name === "granularity" && values.join() === "section")) query.set(name, values.join(",")); // (the default, left out)
  }
  const qs = query.toString();
  return `/feeds/${encodeURIComponent(feed)}.${format}${qs ? `?${qs}` : ""}`;
}

/** GET /: the page, with the preview of what its query asks for (the form's no-script path). */
export async function builderPage(request: Request, env: Env, fetchOwn: (path: string) => Promise<Response>): Promise<Response> {
  const url = new URL(request.url);
  const feeds: FeedChoice[] = await Promise.all(
    feedConfigs(env).map(async (cfg) => {
      try {
        const state = await loadState(env, cfg);
        return { id: cfg.id, title: feedTitle(cfg, state), sections: listSections(state), issues: state.issues.length };
      } catch {
        return { id: cfg.id, title: cfg.title ?? cfg.id, sections: [], issues: 0 };
      }
    }),
  );
  const chosen = feeds.find((f) => f.id === url.searchParams.get("feed")) ?? feeds[0];
  const format = ["rss", "atom", "json"].includes(url.searchParams.get("format") ?? "") ? url.searchParams.get("format")! : "rss";
  let translator = false;
  try {
    translator = !!readTranslator(env);
  } catch {
    translator = false; // a misconfigured one is reported at /feeds and /status
  }
  const submitted = url.searchParams.has("feed");
  const feedPath = chosen ? builderUrl(chosen.id, format, url.searchParams) : "";
  const preview = submitted && chosen ? await previewOf(fetchOwn, builderUrl(chosen.id, "json", url.searchParams)) : undefined;
  const html = page(url, feeds, chosen, format, translator, feedPath, preview);
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": PAGE_CSP,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": submitted ? "no-store" : "public, max-age=60",
    },
  });
}

const ASSETS: Record<string, [string, string]> = {
  "builder.js": [BUILDER_JS, "text/javascript"],
  "builder.css": [BUILDER_CSS, "text/css"],
  "favicon.svg": [FAVICON_SVG, "image/svg+xml"],
};

/** GET /assets/{builder.js,builder.css,favicon.svg}: the page's script, style and icon, cached a day. */
export function builderAsset(name: string): Response | undefined {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return undefined;
  return new Response(asset[0], { headers: { "Content-Type": `${asset[1]}; charset=utf-8`, "Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff" } });
}

interface Preview {
  items?: { title: string; date: string; text: string }[];
  /** The worker's 400 message, and the field it names. */
  error?: { message: string; field?: string };
}

async function previewOf(fetchOwn: (path: string) => Promise<Response>, path: string): Promise<Preview> {
  const res = await fetchOwn(path);
  if (!res.ok) {
    const message = await res.text();
    return { error: { message, field: /^(\w+)=/.exec(message)?.[1] } };
  }
  const feed = (await res.json()) as { items: { title: string; date_published?: string; content_html?: string }[] };
  return {
    items: feed.items.slice(0, 5).map((i) => ({ title: i.title, date: i.date_published ?? "", text: excerpt(i.content_html ?? "") })),
  };
}

/** The first words of an item, as text. */
function excerpt(html: string): string {
  const text = htmlToText(html);
  if (text.length <= 240) return text;
  const cut = text.lastIndexOf(" ", 240);
  return `${text.slice(0, cut > 120 ? cut : 240)}…`; // at a space, unless a long word runs past it
}

const e = escapeHtml;

function page(url: URL, feeds: FeedChoice[], chosen: FeedChoice | undefined, format: string, translator: boolean, feedPath: string, preview: Preview | undefined): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>feedslice — build a feed</title>
<link rel="stylesheet" href="/assets/builder.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<script src="/assets/builder.js" defer></script>
</head>
<body>
<main>
<h1>feedslice</h1>
<p class="lead">Digest newsletters, split into one feed per section or topic. Pick what you want to read; subscribe to the URL in your reader.</p>
${form(new Fields(url.searchParams, preview?.error), feeds, chosen, format, translator)}
<section aria-labelledby="url-heading" class="result">
<h2 id="url-heading">Your feed</h2>
${feedLinks(feedPath && new URL(feedPath, url).href, feedPath, chosen)}
</section>
<section aria-labelledby="preview-heading" class="preview">
<h2 id="preview-heading">Preview</h2>
<div id="preview" aria-live="polite">${previewHtml(preview)}</div>
</section>
</main>
</body>
</html>
`;
}

/** The form's fields as the query gives them, with the worker's message beside the field it names. */
class Fields {
  constructor(
    readonly params: URLSearchParams,
    readonly error: Preview["error"],
  ) {}

  value(name: string): string {
    return e(this.params.getAll(name).join(","));
  }

  /** The message under the field, when it is the one in error. */
  errorOf(name: string): string {
    return this.error?.field === name ? `<p class="error" id="${name}-error" role="alert">${e(this.error.message)}</p>` : "";
  }

  /** The attributes that tie the field to its message. */
  described(name: string): string {
    return this.error?.field === name ? ` aria-invalid="true" aria-describedby="${name}-error"` : "";
  }

  text(name: string, label: string, hint: string): string {
    return `<div class="field"><label for="${name}">${label}</label><input id="${name}" name="${name}" value="${this.value(name)}"${this.described(name)}><p class="hint">${hint}</p>${this.errorOf(name)}</div>`;
  }
}

function form(f: Fields, feeds: FeedChoice[], chosen: FeedChoice | undefined, format: string, translator: boolean): string {
  const granularity = f.params.get("granularity");
  return `<form method="get" action="/" id="builder">
<div class="field">
<label for="feed">Feed</label>
<select id="feed" name="feed">${feeds.map((c) => `<option value="${e(c.id)}"${c === chosen ? " selected" : ""}>${e(c.title)}</option>`).join("")}</select>
<noscript><button type="submit" name="choose" value="1">Show its sections</button></noscript>
</div>
${sectionBoxes(f, chosen)}
<div class="field">
<label for="granularity">One item per</label>
<select id="granularity" name="granularity"${f.described("granularity")}>${[
    ["section", "section of an issue"],
    ["topic", "topic of a section"],
    ["issue", "whole issue"],
  ]
    .map(([v, l]) => `<option value="${v}"${granularity === v ? " selected" : ""}>${l}</option>`)
    .join("")}</select>${f.errorOf("granularity")}
</div>
${f.text("q", "Keywords", "Items whose text has any of them, comma-separated (llama, mistral).")}
${f.text("topic", "Topic", "Topics whose heading has any of these words.")}
${f.text("q_re", "Pattern", "A regular expression (RE2) the title or text must match.")}
${translator ? f.text("lang", "Language", "Translate into this language (zh, ja, de…). Each new issue costs translation characters from the daily budget; what is not translated yet is served in the original and marked.") : ""}
<div class="field">
<label for="format">Format</label>
<select id="format" name="format">${["rss", "atom", "json"].map((v) => `<option value="${v}"${v === format ? " selected" : ""}>${v === "json" ? "JSON Feed" : v.toUpperCase()}</option>`).join("")}</select>
</div>
<div class="field">
<label for="limit">Items at most</label>
<input id="limit" name="limit" inputmode="numeric" value="${f.value("limit")}" placeholder="20"${f.described("limit")}>${f.errorOf("limit")}
</div>
<button type="submit">Preview</button>
</form>`;
}

/** The chosen feed's sections as checkboxes, recurring ones with how many recent issues have them. */
function sectionBoxes(f: Fields, chosen: FeedChoice | undefined): string {
  const checked = new Set(f.params.getAll("section").flatMap((s) => s.split(",")));
  const sections = chosen?.sections ?? [];
  return `<fieldset class="field" id="sections"${f.described("section")}>
<legend>Sections <span class="hint">(none ticked: all of them)</span></legend>
${sections.length ? "" : `<p class="hint">No sections yet: the feed has not been read.</p>`}
${sections
  .map(
    (s) =>
      `<label class="check"><input type="checkbox" name="section" value="${e(s.id)}"${checked.has(s.id) ? " checked" : ""}> <span>${e(s.title)} <span class="count">${s.recurring ? `in ${s.items} of ${chosen!.issues} issues` : "once"}</span></span></label>`,
  )
  .join("\n")}
${f.errorOf("section")}
</fieldset>`;
}

/** The feed URL, the copy button (shown by the script), the subscribe and OPML links. */
function feedLinks(absolute: string, feedPath: string, chosen: FeedChoice | undefined): string {
  return `<p><output id="feed-url" for="builder" aria-live="polite"><a href="${e(feedPath)}">${e(absolute)}</a></output></p>
<p class="actions"><button type="button" id="copy" hidden>Copy the URL</button>
<a id="subscribe" href="${e(absolute.replace(/^https?:/, "feed:"))}">Subscribe (feed:)</a>
${chosen ? `<a id="opml" href="/feeds/${e(encodeURIComponent(chosen.id))}.opml">OPML of every section</a>` : ""}</p>`;
}

function previewHtml(preview: Preview | undefined): string {
  if (!preview) return `<p class="hint">Choose, then Preview: the first items of the feed show here.</p>`;
  if (preview.error) return `<p class="error" role="alert">${e(preview.error.message)}</p>`;
  if (!preview.items?.length) return `<p>No item matches.</p>`;
  return `<ol class="items">${preview.items
    .map((i) => `<li><h3>${e(i.title)}</h3><p class="date"><time datetime="${e(i.date)}">${e(i.date.slice(0, 16).replace("T", " "))}</time></p><p>${e(i.text)}</p></li>`)
    .join("")}</ol>`;
}
