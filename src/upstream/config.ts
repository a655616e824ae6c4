import { RE2JS } from "re2js";
import { PRESETS, type Preset } from "../split/index.js";
import { namedBoundaries, type SplitSetting } from "../split/named.js";

/** One upstream digest, as listed in the FEEDS variable. */
export interface FeedConfig {
  id: string;
  url: string;
  title?: string;
  preset: Preset;
  /**
   * A pattern (RE2 syntax) upstream entry titles must match to be issues: one publication's digest
   * in a feed it shares with other posts (`^\[AINews\]` in Latent Space's).
   */
  titles?: string;
  /** The elements that are sections and topics, for a layout the automatic rules miss (src/split/named.ts). */
  split?: SplitSetting;
  /** Languages translated during the cron refresh, so that readers find them ready. */
  languages?: string[];
}

/** The FEEDS variable is wrong. The message names the entry and the field. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const LANG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/;

let cached: { raw: string; feeds: FeedConfig[] } | undefined;

/**
 * Read FEEDS: a JSON array of { "id", "url", "title"?, "preset"?, "titles"?, "split"?, "languages"? }. `url` is an http(s) URL, or a
 * path starting with "/" that names a file bundled in the worker's static assets.
 * Parsed once per isolate for a given value.
 */
export function readFeedsConfig(raw: string | undefined): FeedConfig[] {
  if (cached && cached.raw === raw) return cached.feeds;
  const feeds = parseFeedsConfig(raw);
  cached = { raw: raw ?? "", feeds };
  return feeds;
}

export function parseFeedsConfig(raw: string | undefined): FeedConfig[] {
  if (!raw || !raw.trim()) throw new ConfigError("FEEDS is not set: list the upstreams as a JSON array in wrangler.toml [vars]");
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch (e) {
    throw new ConfigError(`FEEDS is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(list)) throw new ConfigError('FEEDS must be a JSON array of {"id", "url", "title"?, "preset"?, "titles"?, "split"?, "languages"?}');
  const seen = new Set<string>();
  return list.map((entry: unknown, i): FeedConfig => {
    const feed = feedEntry(entry, `FEEDS[${i}]`);
    if (seen.has(feed.id)) throw new ConfigError(`FEEDS[${i}].id "${feed.id}" is listed twice`);
    seen.add(feed.id);
    return feed;
  });
}

/** One entry of FEEDS, `where` naming it in messages. */
function feedEntry(entry: unknown, where: string): FeedConfig {
  if (!entry || typeof entry !== "object") throw new ConfigError(`${where} must be an object`);
  const { id, url, title, preset = "headings", languages, titles, split } = entry as Record<string, unknown>;
  if (typeof id !== "string" || !ID.test(id)) {
    throw new ConfigError(`${where}.id must be lower-case letters, digits, "-" or "_" (got ${JSON.stringify(id)})`);
  }
  const upstream = upstreamUrl(url, where);
  if (title !== undefined && typeof title !== "string") throw new ConfigError(`${where}.title must be a string`);
  if (typeof preset !== "string" || !(PRESETS as readonly string[]).includes(preset)) {
    throw new ConfigError(`${where}.preset must be one of ${PRESETS.join(", ")} (got ${JSON.stringify(preset)})`);
  }
  const langs = languageList(languages, where);
  return {
    id,
    url: upstream,
    title: title || undefined,
    preset: preset as Preset,
    ...(titles !== undefined ? { titles: titlePattern(titles, where) } : {}),
    ...(split !== undefined ? { split: splitSetting(split, where) } : {}),
    ...(langs ? { languages: langs } : {}),
  };
}

/** `url`: http(s), or a path starting with "/" (a bundled file). */
function upstreamUrl(url: unknown, where: string): string {
  if (typeof url !== "string" || !(url.startsWith("/") || /^https?:\/\//i.test(url))) {
    throw new ConfigError(`${where}.url must be an http(s) URL or a bundled file path starting with "/" (got ${JSON.stringify(url)})`);
  }
  if (!url.startsWith("/")) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError(`${where}.url is not a valid URL: ${url}`);
    }
  }
  return url;
}

/** `titles`: an RE2 pattern the upstream entries kept must match. */
function titlePattern(titles: unknown, where: string): string {
  if (typeof titles !== "string" || !titles) throw new ConfigError(`${where}.titles must be a pattern such as "^\\[AINews\\]"`);
  try {
    RE2JS.compile(titles);
  } catch (e) {
    throw new ConfigError(`${where}.titles is not a valid pattern: ${(e as Error).message}`);
  }
  return titles;
}

/** `split`: the feed's own boundaries, as selectors (./split/named.ts). */
function splitSetting(split: unknown, where: string): SplitSetting {
  const s = split as Record<string, unknown> | null;
  if (!s || typeof s !== "object" || typeof s.sections !== "string" || (s.topics !== undefined && typeof s.topics !== "string")) {
    throw new ConfigError(`${where}.split must be {"sections": "<selectors>", "topics"?: "<selectors>"}, such as {"sections": "td.page_title", "topics": "strong"}`);
  }
  try {
    namedBoundaries(s as unknown as SplitSetting);
  } catch (e) {
    throw new ConfigError(`${where}.split: ${(e as Error).message}`);
  }
  return s as unknown as SplitSetting;
}

/** `languages`: language tags, canonical and without repeats; undefined when none. */
function languageList(languages: unknown, where: string): string[] | undefined {
  if (languages === undefined) return undefined;
  if (!(Array.isArray(languages) && languages.every((l) => typeof l === "string" && LANG.test(l)))) {
    throw new ConfigError(`${where}.languages must be a list of language tags such as ["zh", "ja"] (got ${JSON.stringify(languages)})`);
  }
  if (!languages.length) return undefined;
  try {
    return [...new Set(Intl.getCanonicalLocales(languages as string[]))];
  } catch {
    throw new ConfigError(`${where}.languages has a tag that is not a language: ${JSON.stringify(languages)}`);
  }
}
