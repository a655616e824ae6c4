import type { Env } from "../env.js";
import type { FeedMeta, Format, Granularity } from "../model.js";
import { DEFAULT_LIMIT, GRANULARITIES, listSections, MAX_LIMIT, pickItems, type Selection, toFeedItem } from "../filter/index.js";
import { CONTENT_TYPES, FORMATS, renderFeed } from "../render/index.js";
import { FeedStore } from "../storage/kv.js";
import type { StoredState } from "../storage/refresh.js";
import type { FeedConfig } from "../upstream/config.js";
import { HttpError, jsonResponse, oneOf } from "./errors.js";
import { feedConfigs, findFeed, loadState } from "./state.js";

/** How long readers and caches may keep a rendered feed, in seconds. */
const MAX_AGE = 300;

/** "ainews.rss" → ["ainews", "rss"]; unknown extensions are a 404 that lists the known ones. */
export function splitExtension(file: string): [string, Format] {
  const dot = file.lastIndexOf(".");
  const ext = dot < 0 ? "" : file.slice(dot + 1);
  if (!(FORMATS as readonly string[]).includes(ext)) {
    throw new HttpError(404, `"${file}" needs a format extension: ${oneOf(FORMATS.map((f) => `.${f}`))}.`);
  }
  return [file.slice(0, dot), ext as Format];
}

/** Query parameters → a selection; a bad value is a 400 naming the parameter and what it accepts. */
export function readSelection(params: URLSearchParams, section?: string): Selection {
  const granularity = (params.get("granularity") ?? "section") as Granularity;
  if (!GRANULARITIES.includes(granularity)) {
    throw new HttpError(400, `granularity=${params.get("granularity")} is not accepted: use ${oneOf(GRANULARITIES)} (default section).`);
  }
  const rawLimit = params.get("limit");
  const limit = rawLimit === null ? DEFAULT_LIMIT : /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw new HttpError(400, `limit=${rawLimit} is not accepted: use a whole number from 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`);
  }
  if (section && granularity === "issue") {
    throw new HttpError(400, `granularity=issue gives whole issues: use it on the whole feed (/feeds/:feed.rss), not on the section "${section}".`);
  }
  return { granularity, limit, section };
}

/** GET /feeds/:feed.:format (`file` = "ainews.rss") and /feeds/:feed/:section.:format (`file` = "twitter.rss"). */
export async function feedRoute(request: Request, env: Env, feedOrFile: string, sectionFile?: string): Promise<Response> {
  let id: string, section: string | undefined, fmt: Format;
  if (sectionFile) [id, [section, fmt]] = [feedOrFile, splitExtension(sectionFile)];
  else [id, fmt] = splitExtension(feedOrFile);
  const cfg = findFeed(env, id);
  const url = new URL(request.url);
  const sel = readSelection(url.searchParams, section);
  const state = await loadState(env, cfg);
  const sections = listSections(state);
  if (section && !sections.some((s) => s.id === section)) {
    throw new HttpError(404, `Feed "${id}" has no section "${section}". Its sections: ${oneOf(sections.map((s) => s.id))}.`);
  }

  const picked = pickItems(state, sel);
  const store = new FeedStore(env.KV, cfg.id);
  const keys = [...new Set(picked.map((p) => p.issue.key))];
  const bodies = new Map(await Promise.all(keys.map(async (k) => [k, await store.getIssueHtml(k)] as const)));
  // A body not yet visible (KV propagates writes within a minute) is skipped, not served empty.
  const items = picked.filter((p) => bodies.get(p.issue.key) != null).map((p) => toFeedItem(p, bodies.get(p.issue.key)!));

  const meta = feedMeta(url, cfg, state, sel, fmt, sections.find((s) => s.id === section)?.title);
  return new Response(renderFeed({ ...meta, updated: items[0]?.date ?? state.refreshedAt }, items), {
    headers: {
      "Content-Type": CONTENT_TYPES[fmt],
      "Cache-Control": `public, max-age=${MAX_AGE}`,
      "X-Feedslice-Refreshed": state.refreshedAt,
    },
  });
}

function feedMeta(url: URL, cfg: FeedConfig, state: StoredState, sel: Selection, format: Format, sectionTitle?: string): Omit<FeedMeta, "updated"> {
  const name = feedTitle(cfg, state);
  const per = sel.granularity;
  // "AINews · by section", "AINews · AI Twitter Recap", "AINews · AI Twitter Recap · by topic", "AINews"
  const title = [name, sectionTitle, per === "topic" || (per === "section" && !sectionTitle) ? `by ${per}` : undefined]
    .filter(Boolean)
    .join(" · ");
  const what = sectionTitle ? `The “${sectionTitle}” section of ${name}` : name;
  return {
    title,
    description: `${what}, one item per ${per}. Split from ${state.upstream.link || cfg.url} by feedslice.`,
    link: state.upstream.link || new URL("/feeds", url).href,
    selfUrls: feedUrls(url, cfg.id, sel.section, sel),
    format,
    language: state.upstream.language,
    author: name,
  };
}

export function feedTitle(cfg: FeedConfig, state?: StoredState): string {
  return cfg.title || state?.upstream.title || cfg.id;
}

/** Canonical URLs of a feed in each format: default parameters left out, the rest in a fixed order. */
export function feedUrls(base: URL, feedId: string, section?: string, sel?: Selection): Record<Format, string> {
  const query = new URLSearchParams();
  if (sel && sel.granularity !== "section") query.set("granularity", sel.granularity);
  if (sel && sel.limit !== DEFAULT_LIMIT) query.set("limit", String(sel.limit));
  const qs = query.size ? `?${query}` : "";
  const path = `/feeds/${encodeURIComponent(feedId)}${section ? `/${encodeURIComponent(section)}` : ""}`;
  const out = {} as Record<Format, string>;
  for (const f of FORMATS) out[f] = new URL(`${path}.${f}${qs}`, base).href;
  return out;
}

/** GET /feeds: every feed with its sections and URLs. Never-fetched feeds are fetched first. */
export async function indexRoute(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const feeds = await Promise.all(
    feedConfigs(env).map(async (cfg) => {
      const entry = { id: cfg.id, title: cfg.title ?? cfg.id, upstream: cfg.url, preset: cfg.preset, urls: feedUrls(url, cfg.id) };
      try {
        const state = await loadState(env, cfg);
        const error = await new FeedStore(env.KV, cfg.id).getError();
        return {
          ...entry,
          title: feedTitle(cfg, state),
          refreshed_at: state.refreshedAt,
          issues: state.issues.length,
          ...(error ? { last_error: error.lastError } : {}),
          sections: listSections(state).map((s) => ({ ...s, urls: feedUrls(url, cfg.id, s.id) })),
        };
      } catch (e) {
        return { ...entry, error: (e as Error).message, sections: [] };
      }
    }),
  );
  return jsonResponse({ feeds }, { headers: { "Cache-Control": "public, max-age=60" } });
}
