import type { Env } from "../env.js";
import type { FeedMeta, Format } from "../model.js";
import { listSections, type Query, readQuery, selectItems } from "../filter/index.js";
import { oneOf } from "../lib/text.js";
import { CONTENT_TYPES, FORMATS, renderFeed, withinSize } from "../render/index.js";
import { hash53 } from "../lib/hash.js";
import { readSettings } from "../settings.js";
import { edgeCache, renderedFeedKey } from "../storage/cache.js";
import { FeedStore } from "../storage/kv.js";
import { stateToken } from "../storage/decide.js";
import type { StoredState } from "../storage/kv.js";
import type { FeedConfig } from "../upstream/config.js";
import { languageName, UNTRANSLATED } from "../translate/index.js";
import { readTranslator, sameLanguage, translateFeedItems, type Translator } from "../translate/setup.js";
import { HttpError, jsonResponse } from "./errors.js";
import { compressed, conditional, httpDate, withFreshness } from "./http.js";
import { renderOpml } from "./opml.js";
import { feedView, isPageView } from "./page.js";
import { feedTitle, feedUrls } from "./urls.js";
import { feedConfigs, findFeed, loadState } from "./state.js";

/**
 * "ainews.rss" → ["ainews", "rss"]. Without an extension the format comes from ?format=; an
 * unknown extension is a 404 that lists the known ones.
 */
export function splitExtension(file: string, format: string | null, extra: string[] = []): [string, string] {
  const dot = file.lastIndexOf(".");
  const ext = dot < 0 ? "" : file.slice(dot + 1);
  const known = [...FORMATS, ...extra];
  if (known.includes(ext)) {
    if (format !== null && format !== ext) throw new HttpError(400, `format=${format} contradicts the extension .${ext}: give one of them.`);
    return [file.slice(0, dot), ext];
  }
  if (format !== null && dot < 0) return [file, format]; // checked by readQuery
  throw new HttpError(404, `"${file}" needs a format: an extension (${oneOf(known.map((f) => `.${f}`))}) or ?format=${FORMATS.join("|")}.`);
}

/** GET /feeds/:feed.:format (`file` = "ainews.rss") and /feeds/:feed/:section.:format (`file` = "twitter.rss"). */
export async function feedRoute(request: Request, env: Env, ctx: ExecutionContext, feedOrFile: string, sectionFile?: string): Promise<Response> {
  const url = new URL(request.url);
  const formatParam = url.searchParams.get("format");
  let id: string, section: string | undefined, ext: string;
  if (sectionFile) [id, [section, ext]] = [feedOrFile, splitExtension(sectionFile, formatParam)];
  else [id, ext] = splitExtension(feedOrFile, formatParam, ["opml"]);
  const cfg = findFeed(env, id);
  const query = readQuery(url.searchParams, new Date());
  const translator = query.lang ? requireTranslator(env, query.lang) : undefined;
  const store = new FeedStore(env.KV, cfg.id);
  const status = await store.getStatus();
  const { cacheMaxAge } = readSettings(env);
  const format = ext === "opml" ? undefined : (ext as Format);
  const view = isPageView(request); // a browser opening the URL: the feed as a page, not cached
  const slot = format && !view ? cacheSlot(url, cfg.id, section, query, format, status?.token, translator) : undefined;
  const hit = await slot?.cache.match(slot.key);
  if (hit) {
    const res = new Response(hit.body, hit);
    res.headers.set("Cache-Control", `public, max-age=${cacheMaxAge}`);
    return compressed(request, conditional(request, withFreshness(res, status, res.headers.get("X-Feedslice-Refreshed") ?? undefined)));
  }

  const state = await loadState(env, cfg, status);
  const sections = listSections(state);
  checkSections(id, section, query, sections.map((s) => s.id));
  if (!format) return compressed(request, renderOpml(url, cfg, state, query, cacheMaxAge));

  const { items, untranslated, dropped } = await feedItems(env, ctx, store, state, query, section, translator);
  const meta = feedMeta(url, cfg, state, query, format, section, sections, translator);
  const updated = items[0]?.date ?? state.refreshedAt;
  if (view) return feedView({ ...meta, updated }, items, meta.selfUrls[format]);
  const body = renderFeed({ ...meta, updated }, items);
  const response = new Response(body, {
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      // A feed still being translated is worth asking for again soon.
      "Cache-Control": `public, max-age=${untranslated ? Math.min(cacheMaxAge, 60) : cacheMaxAge}`,
      ETag: `"${hash53(body)}"`,
      "Last-Modified": httpDate(updated),
      "X-Feedslice-Refreshed": state.refreshedAt,
      Vary: "Sec-Fetch-Dest", // (a browser's page view, `feedView`, is another response)
      ...(query.lang ? { "Content-Language": query.lang } : {}),
      ...(untranslated ? { "X-Feedslice-Untranslated": String(untranslated) } : {}),
      // Items past the size cap (MAX_FEED_BYTES), left out: ask with a smaller limit.
      ...(dropped ? { "X-Feedslice-Truncated": String(dropped) } : {}),
    },
  });
  if (slot && !untranslated && stateToken(state) === status?.token) {
    // The key changes with the data, so the cached copy may live long: a week.
    const copy = new Response(body, response);
    copy.headers.set("Cache-Control", `public, max-age=${CACHED_FOR}`);
    ctx.waitUntil(slot.cache.put(slot.key, copy));
  }
  return compressed(request, conditional(request, withFreshness(response, status, state.refreshedAt)));
}

/**
 * Where a rendered feed is cached: under its canonical URL and the data's token
 * (`renderedFeedKey`), so it is rendered once per refresh whatever the order of its parameters.
 * None for feeds relative to now (days=, filter_time=), before a first refresh, and where the
 * Cache API is missing (it works on custom domains only; there every request renders).
 */
function cacheSlot(url: URL, id: string, section: string | undefined, query: Query, format: Format, token: string | undefined, translator: Translator | undefined): { cache: Cache; key: string } | undefined {
  if (query.days || query.filterTime || !token) return undefined;
  const cache = edgeCache();
  if (!cache) return undefined;
  const by = translator ? `${translator.provider.id}:${translator.provider.model}` : undefined;
  return { cache, key: renderedFeedKey(feedUrls(url, id, section, query)[format], token, { translator: by }) };
}

/**
 * The items a feed URL selects, translated when it asks for a language the upstream is not in,
 * within the response's size cap (`dropped`: how many were left out for it).
 */
async function feedItems(env: Env, ctx: ExecutionContext, store: FeedStore, state: StoredState, query: Query, section: string | undefined, translator: Translator | undefined) {
  // The section in the path narrows any section= further.
  const effective: Query = section ? { ...query, sections: query.sections ? query.sections.filter((s) => s === section) : [section] } : query;
  let items = await selectItems(state, effective, (key) => store.getIssueHtml(key));
  let untranslated = 0;
  if (translator && query.lang && !sameLanguage(state.upstream.language, query.lang)) {
    const result = await translateFeedItems(env, translator, store.feedId, items, { lang: query.lang, bilingual: query.bilingual });
    // What did not arrive in time goes on after the response, for the next request.
    ctx.waitUntil(result.done.catch((e) => console.error(`translate ${store.feedId} ${query.lang}: ${(e as Error).message}`)));
    items = result.items;
    untranslated = result.untranslated;
  }
  const fit = withinSize(items);
  return { items: fit.items, untranslated, dropped: fit.dropped };
}

/** lang= needs a translator: without one it is the user's request that cannot be met (400). */
function requireTranslator(env: Env, lang: string): Translator {
  const translator = readTranslator(env);
  if (!translator) {
    throw new HttpError(400, `lang=${lang}: translation is not set up on this feedslice (no TRANSLATOR configured). Leave out lang= for the original language.`);
  }
  return translator;
}

/** How long a rendered feed stays in the Cache API (its key includes the data token). */
const CACHED_FOR = 7 * 86_400;

/** Section ids in the path and in section= / exclude_section= must exist: a typo is a 404/400, not an empty feed. */
function checkSections(id: string, section: string | undefined, query: Query, known: string[]): void {
  if (section && !known.includes(section)) {
    throw new HttpError(404, `Feed "${id}" has no section "${section}". Its sections: ${oneOf(known)}.`);
  }
  if (section && query.granularity === "issue") {
    throw new HttpError(400, `granularity=issue gives whole issues: use it on the whole feed (/feeds/${id}.rss), not on the section "${section}".`);
  }
  for (const [name, ids] of [["section", query.sections], ["exclude_section", query.excludeSections]] as const) {
    const unknown = ids?.filter((s) => !known.includes(s));
    if (unknown?.length) throw new HttpError(400, `${name}=${unknown.join(",")} is not accepted: feed "${id}" has the sections ${oneOf(known)}.`);
  }
}

function feedMeta(
  url: URL,
  cfg: FeedConfig,
  state: StoredState,
  query: Query,
  format: Format,
  section: string | undefined,
  sections: { id: string; title: string }[],
  translator?: Translator,
): Omit<FeedMeta, "updated"> {
  const name = feedTitle(cfg, state);
  const titleOf = (id: string) => sections.find((s) => s.id === id)?.title ?? id;
  const kept = section ? [section] : query.sections;
  const parts = [name];
  if (kept) parts.push(kept.map(titleOf).join(" + "));
  if (query.excludeSections && !section) parts.push(`without ${query.excludeSections.map(titleOf).join(", ")}`);
  if (query.q) parts.push(query.q.map((t) => `"${t}"`).join(" or "));
  if (query.topic) parts.push(`topics: ${query.topic.map((t) => `"${t}"`).join(" or ")}`);
  if (query.category) parts.push(query.category.map((c) => `#${c}`).join(" "));
  if (query.qRe) parts.push(`/${query.qRe.source}/`);
  if (query.excludeQ) parts.push(`not ${query.excludeQ.map((t) => `"${t}"`).join(", ")}`);
  if (query.granularity === "topic" || (query.granularity === "section" && parts.length === 1)) parts.push(`by ${query.granularity}`);
  const filtered = parts.length > 2;
  const lang = query.lang;
  const translated = lang && translator && !sameLanguage(state.upstream.language, lang);
  if (lang) parts.push(`${languageName(lang, lang)}${query.bilingual ? ` + ${languageName((state.upstream.language ?? "en").split(/[-_]/)[0]!, lang)}` : ""}`);
  const what = kept ? `${kept.map((s) => `“${titleOf(s)}”`).join(" and ")} from ${name}` : name;
  const how = translated
    ? ` Machine-translated into ${languageName(lang)} with ${translator.provider.id === translator.provider.model ? translator.provider.id : `${translator.provider.id} (${translator.provider.model})`}${query.bilingual ? ", each block followed by its original" : ""}; items not translated yet are marked "${UNTRANSLATED}".`
    : "";
  return {
    title: parts.join(" · "),
    description: `${what}, one item per ${query.granularity}${filtered ? ", filtered" : ""}. Split from ${state.upstream.link || cfg.url} by feedslice.${how}`,
    link: state.upstream.link || new URL("/feeds", url).href,
    selfUrls: feedUrls(url, cfg.id, section, query),
    format,
    language: lang ?? state.upstream.language,
    author: name,
  };
}

/** GET /feeds: every feed with its sections and URLs. Never-fetched feeds are fetched first. */
export async function indexRoute(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const feeds = await Promise.all(feedConfigs(env).map((cfg) => indexEntry(url, env, cfg)));
  // Which translator answers lang= (null: none); a misconfigured one is reported, not thrown.
  let translation: { provider: string; model: string } | { error: string } | null;
  try {
    const t = readTranslator(env);
    translation = t && { provider: t.provider.id, model: t.provider.model };
  } catch (e) {
    translation = { error: (e as Error).message };
  }
  return jsonResponse({ translation, feeds }, { headers: { "Cache-Control": "public, max-age=60" } });
}

/** GET /feeds/:feed, no extension and no ?format=: that feed's entry of the index, as JSON. */
export async function feedIndexRoute(request: Request, env: Env, id: string): Promise<Response> {
  return jsonResponse(await indexEntry(new URL(request.url), env, findFeed(env, id)), { headers: { "Cache-Control": "public, max-age=60" } });
}

/** A feed as the index lists it: its URLs, and from its state its issues and sections (recurring ones first), or why there are none. */
async function indexEntry(url: URL, env: Env, cfg: FeedConfig) {
  const entry = {
    id: cfg.id,
    title: cfg.title ?? cfg.id,
    upstream: cfg.url,
    preset: cfg.preset,
    urls: feedUrls(url, cfg.id),
    opml: new URL(`/feeds/${encodeURIComponent(cfg.id)}.opml`, url).href,
    ...(cfg.languages ? { languages: cfg.languages } : {}),
  };
  try {
    const state = await loadState(env, cfg);
    const error = await new FeedStore(env.KV, cfg.id).getStatus();
    return {
      ...entry,
      title: feedTitle(cfg, state),
      refreshed_at: state.refreshedAt,
      issues: state.issues.length,
      ...(error?.failures ? { last_error: error.lastError } : {}),
      sections: listSections(state).map((s) => ({ ...s, urls: feedUrls(url, cfg.id, s.id) })),
    };
  } catch (e) {
    return { ...entry, error: (e as Error).message, sections: [] };
  }
}
