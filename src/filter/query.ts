import { RE2JS } from "re2js";
import type { Format, Granularity } from "../model.js";
import { oneOf } from "../lib/text.js";

/** A query parameter with a value we cannot use. Routes answer it with 400 and this message. */
export class ParamError extends Error {
  override name = "ParamError";
}

export const GRANULARITIES: readonly Granularity[] = ["issue", "section", "topic"];
export const FORMAT_NAMES: readonly Format[] = ["rss", "atom", "json"];
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;
export const MAX_TERMS = 20;
export const MAX_TERM_LENGTH = 100;
export const MAX_PATTERN_LENGTH = 200;

/** A regular expression for RE2 (linear time: no catastrophic backtracking from any pattern). */
export interface Pattern {
  source: string;
  re: RE2JS;
}

/** RSSHub's filter parameters (its lib/middleware/parameter.ts), kept under their own names: their semantics differ from ours. */
export const RSSHUB_FILTERS = [
  "filter",
  "filter_title",
  "filter_description",
  "filter_author",
  "filter_category",
  "filterout",
  "filterout_title",
  "filterout_description",
  "filterout_author",
  "filterout_category",
] as const;

export type RsshubFilters = { [name in (typeof RSSHUB_FILTERS)[number]]?: Pattern } & {
  /** RSSHub matches case-sensitively unless filter_case_sensitive=false. */
  caseSensitive: boolean;
};

/** Everything a feed URL's query string asks for, validated and normalised. */
export interface Query {
  granularity: Granularity;
  limit: number;
  format?: Format;
  /** Section ids to keep / to drop (sorted; checked against the feed's sections by the caller). */
  sections?: string[];
  excludeSections?: string[];
  /** Any of these terms in the item's title or text (folded: case, accents, width). */
  q?: string[];
  excludeQ?: string[];
  /** Any of these terms in the topic heading. */
  topic?: string[];
  /** Any of these upstream categories. */
  category?: string[];
  /** since= as given (normalised to ISO), days= and RSSHub's filter_time= (seconds). */
  since?: string;
  days?: number;
  filterTime?: number;
  /** The effective lower bound on item dates (ISO): the latest of since, days and filter_time. */
  after?: string;
  qRe?: Pattern;
  excludeQRe?: Pattern;
  rsshub?: RsshubFilters;
  /** Translate into this language (a BCP 47 tag, canonical case: zh, zh-TW, pt-BR). */
  lang?: string;
  /** With lang: each translated block followed by its original. */
  bilingual?: boolean;
}

export const DISPLAYS = ["translated", "bilingual"] as const;

/**
 * Read a feed URL's query. `now` is used for days= and filter_time=. Throws ParamError naming the
 * parameter and what it accepts.
 */
export function readQuery(params: URLSearchParams, now: Date): Query {
  const one = lastOf(params);
  const topic = terms(params, "topic");
  const query: Query = {
    ...shape(one, topic),
    sections: ids(params, "section"),
    excludeSections: ids(params, "exclude_section"),
    q: terms(params, "q"),
    excludeQ: terms(params, "exclude_q"),
    topic,
    category: terms(params, "category"),
    since: since(one("since")),
    days: integer(one("days"), "days", 1, 3650, "a whole number of days from 1 to 3650"),
    qRe: pattern(one("q_re"), "q_re", false),
    excludeQRe: pattern(one("exclude_q_re"), "exclude_q_re", false),
    rsshub: rsshubFilters(one),
    filterTime: integer(one("filter_time"), "filter_time", 1, 10 * 365 * 86_400, "a whole number of seconds"),
    ...translation(one),
  };
  query.after = lowerBound(query, now);
  for (const k of Object.keys(query) as (keyof Query)[]) if (query[k] === undefined) delete query[k];
  return query;
}

/** A parameter's value: the last one given (as URLSearchParams.get gives the first). */
type One = (name: string) => string | undefined;
const lastOf =
  (params: URLSearchParams): One =>
  (name) => {
    const all = params.getAll(name);
    return all.length ? all[all.length - 1] : undefined;
  };

/** granularity= (topic when topic= is given), limit= and format=. */
function shape(one: One, topic: string[] | undefined): Pick<Query, "granularity" | "limit" | "format"> {
  const g = one("granularity");
  const granularity = (g ?? (topic ? "topic" : "section")) as Granularity;
  if (!GRANULARITIES.includes(granularity)) throw new ParamError(`granularity=${g} is not accepted: use ${oneOf(GRANULARITIES)} (default section).`);
  if (topic && granularity !== "topic") throw new ParamError(`topic= filters topic headings: it needs granularity=topic (or no granularity), not granularity=${granularity}.`);
  const limit = integer(one("limit"), "limit", 1, MAX_LIMIT, `a whole number from 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`) ?? DEFAULT_LIMIT;
  const f = one("format");
  if (f !== undefined && !FORMAT_NAMES.includes(f as Format)) throw new ParamError(`format=${f} is not accepted: use ${oneOf(FORMAT_NAMES)}.`);
  return { granularity, limit, format: f as Format | undefined };
}

/** since=: a date or a date and time, normalised to ISO. */
function since(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const t = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(t)) throw new ParamError(`since=${raw} is not accepted: use a date like 2024-04-01 (or 2024-04-01T12:00:00Z).`);
  return new Date(t).toISOString();
}

/** RSSHub's filter parameters and filter_case_sensitive=; undefined when none is given. */
function rsshubFilters(one: One): RsshubFilters | undefined {
  const cs = one("filter_case_sensitive");
  if (cs !== undefined && cs !== "true" && cs !== "false") throw new ParamError(`filter_case_sensitive=${cs} is not accepted: use true or false (default true, as in RSSHub).`);
  const caseSensitive = cs !== "false";
  const rsshub: RsshubFilters = { caseSensitive };
  for (const name of RSSHUB_FILTERS) {
    const p = pattern(one(name), name, caseSensitive);
    if (p) rsshub[name] = p;
  }
  return Object.keys(rsshub).length > 1 || cs !== undefined ? rsshub : undefined;
}

/** lang= and display=. */
function translation(one: One): Pick<Query, "lang" | "bilingual"> {
  const raw = one("lang");
  const lang = raw === undefined ? undefined : language(raw);
  const display = one("display");
  if (display === undefined) return { lang };
  if (!(DISPLAYS as readonly string[]).includes(display)) throw new ParamError(`display=${display} is not accepted: use ${oneOf(DISPLAYS)} (default translated).`);
  if (!lang) throw new ParamError(`display=${display} shows a translation: give a language too, e.g. lang=zh&display=${display}.`);
  return { lang, bilingual: display === "bilingual" || undefined };
}

/** The latest of since=, days= and filter_time= as an ISO date, if any is given. */
function lowerBound(query: Query, now: Date): string | undefined {
  const bounds = [
    query.since,
    query.days && new Date(now.getTime() - query.days * 86_400_000).toISOString(),
    query.filterTime && new Date(now.getTime() - query.filterTime * 1000).toISOString(),
  ].filter((b): b is string => !!b);
  return bounds.length ? bounds.sort().at(-1) : undefined;
}

/**
 * A query as a canonical query string: defaults left out, parameters in a fixed order, lists
 * sorted. Equivalent URLs give the same string, hence the same self link and the same output.
 * `format` is left out: it is the URL's extension.
 */
export function canonicalQuery(query: Query): string {
  const out = new URLSearchParams();
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== "") out.set(name, String(value));
  };
  if (query.granularity !== "section" && !(query.granularity === "topic" && query.topic)) set("granularity", query.granularity);
  if (query.limit !== DEFAULT_LIMIT) set("limit", query.limit);
  set("section", query.sections?.join(","));
  set("exclude_section", query.excludeSections?.join(","));
  set("q", query.q?.join(","));
  set("exclude_q", query.excludeQ?.join(","));
  set("topic", query.topic?.join(","));
  set("category", query.category?.join(","));
  set("since", query.since);
  set("days", query.days);
  set("q_re", query.qRe?.source);
  set("exclude_q_re", query.excludeQRe?.source);
  const r = query.rsshub;
  if (r) {
    for (const name of RSSHUB_FILTERS) set(name, r[name]?.source);
    if (!r.caseSensitive) set("filter_case_sensitive", "false");
  }
  set("filter_time", query.filterTime);
  set("lang", query.lang);
  if (query.bilingual) set("display", "bilingual");
  const s = out.toString();
  return s ? `?${s}` : "";
}

/** Fold text for matching: compatibility forms (full-width → ASCII), accents dropped, lower case. */
export function fold(s: string): string {
  return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** A language tag (BCP 47), in canonical case. */
function language(raw: string): string {
  const fail = () => new ParamError(`lang=${raw} is not accepted: use a language tag such as zh, ja, fr, zh-TW or pt-BR.`);
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/.test(raw)) throw fail();
  try {
    return Intl.getCanonicalLocales(raw)[0]!;
  } catch {
    throw fail();
  }
}

function terms(params: URLSearchParams, name: string): string[] | undefined {
  const raw = params.getAll(name);
  if (!raw.length) return undefined;
  const value = raw[raw.length - 1]!;
  const list = [...new Set(value.split(",").map((t) => t.trim()).filter(Boolean))];
  if (!list.length) throw new ParamError(`${name}= is empty: give one or more terms separated by commas, e.g. ${name}=llama,mixtral.`);
  if (list.length > MAX_TERMS) throw new ParamError(`${name}= has ${list.length} terms: at most ${MAX_TERMS} are accepted.`);
  const long = list.find((t) => t.length > MAX_TERM_LENGTH);
  if (long) throw new ParamError(`${name}= has a term of ${long.length} characters: at most ${MAX_TERM_LENGTH} are accepted.`);
  return list.sort();
}

function ids(params: URLSearchParams, name: string): string[] | undefined {
  const list = terms(params, name);
  return list?.map((t) => t.toLowerCase());
}

function integer(raw: string | undefined, name: string, min: number, max: number, accepted: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new ParamError(`${name}=${raw} is not accepted: use ${accepted}.`);
  return n;
}

function pattern(raw: string | undefined, name: string, caseSensitive: boolean): Pattern | undefined {
  if (raw === undefined) return undefined;
  if (!raw) throw new ParamError(`${name}= is empty: give a regular expression (RE2 syntax).`);
  if (raw.length > MAX_PATTERN_LENGTH) throw new ParamError(`${name}= is ${raw.length} characters long: at most ${MAX_PATTERN_LENGTH} are accepted.`);
  try {
    return { source: raw, re: RE2JS.compile(raw, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE) };
  } catch (e) {
    throw new ParamError(`${name}=${raw} is not a valid regular expression (RE2 syntax): ${(e as Error).message}.`);
  }
}
