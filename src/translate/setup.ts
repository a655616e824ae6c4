/**
 * The translate stage at the Worker's edge: the provider named by TRANSLATOR (with its secrets and
 * the AI binding), translations and budget in KV.
 */
import type { Env } from "../env.js";
import type { FeedItem } from "../model.js";
import { readQuery, selectItems } from "../filter/index.js";
import { FeedStore } from "../storage/kv.js";
import type { FeedState } from "../storage/state.js";
import { KvBudget, KvTranslationStore } from "../storage/translations.js";
import { wholeNumber } from "../settings.js";
import { ConfigError, type FeedConfig } from "../upstream/config.js";
import { deepl, openAi, type Provider, translateItems, type TranslateResult, type TranslateStats, UNIT_CHARS, workersAi } from "./index.js";

export const TRANSLATORS = ["workers-ai", "openai", "deepl"] as const;
export const DEFAULT_WORKERS_AI_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
export const DEFAULT_DAILY_CHARS = 1_000_000;

export interface Translator {
  provider: Provider;
  /** Newest issues the cron translates into a feed's configured languages. */
  issues: number;
  dailyChars: number;
  concurrency: number;
  waitMs: number;
  unitChars: number;
}

/** The configured translator, or null when TRANSLATOR is not set. Throws ConfigError when it is set wrong. */
export function readTranslator(env: Env): Translator | null {
  const name = env.TRANSLATOR?.trim();
  if (!name) return null;
  const timeoutMs = num(env, "TRANSLATE_TIMEOUT_MS", 60_000);
  const unitChars = num(env, "TRANSLATE_UNIT_CHARS", UNIT_CHARS);
  let provider: Provider;
  if (name === "workers-ai") {
    if (!env.AI) throw new ConfigError('TRANSLATOR is "workers-ai" but the worker has no AI binding: add [ai] binding = "AI" to wrangler.toml');
    provider = workersAi({ ai: env.AI, model: env.WORKERS_AI_MODEL || DEFAULT_WORKERS_AI_MODEL, timeoutMs, unitChars });
  } else if (name === "openai") {
    if (!env.OPENAI_BASE_URL || !/^https?:\/\//.test(env.OPENAI_BASE_URL)) {
      throw new ConfigError('TRANSLATOR is "openai" but OPENAI_BASE_URL is not an http(s) URL (e.g. https://api.openai.com/v1)');
    }
    if (!env.OPENAI_MODEL) throw new ConfigError('TRANSLATOR is "openai" but OPENAI_MODEL is not set (e.g. gpt-4o-mini)');
    provider = openAi({ baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL, apiKey: env.OPENAI_API_KEY, timeoutMs, unitChars });
  } else if (name === "deepl") {
    if (!env.DEEPL_API_KEY) throw new ConfigError('TRANSLATOR is "deepl" but the secret DEEPL_API_KEY is not set (wrangler secret put DEEPL_API_KEY)');
    provider = deepl({ apiKey: env.DEEPL_API_KEY, apiUrl: env.DEEPL_API_URL || undefined, timeoutMs, unitChars });
  } else {
    throw new ConfigError(`TRANSLATOR must be one of ${TRANSLATORS.join(", ")} (got ${JSON.stringify(name)})`);
  }
  return {
    provider,
    issues: num(env, "TRANSLATE_ISSUES", 3),
    dailyChars: num(env, "TRANSLATE_DAILY_CHARS", DEFAULT_DAILY_CHARS),
    concurrency: num(env, "TRANSLATE_CONCURRENCY", 4),
    waitMs: num(env, "TRANSLATE_WAIT_MS", 10_000),
    unitChars,
  };
}

/** A translation setting: a whole number (the rule every setting follows, src/settings.ts). */
function num(env: Env, name: keyof Env, fallback: number): number {
  return wholeNumber(env, name, fallback, 0, 2 ** 31);
}

/** Translate a feed's items, with its KV records and the provider's budget. */
export function translateFeedItems(
  env: Env,
  translator: Translator,
  feedId: string,
  items: FeedItem[],
  opts: { lang: string; bilingual?: boolean; waitMs?: number; now?: Date },
): Promise<TranslateResult> {
  const now = opts.now ?? new Date();
  return translateItems(items, {
    provider: translator.provider,
    lang: opts.lang,
    bilingual: opts.bilingual,
    store: new KvTranslationStore(env.KV, feedId, opts.lang),
    budget: new KvBudget(env.KV, translator.provider.id, translator.dailyChars, now),
    waitMs: opts.waitMs ?? translator.waitMs,
    concurrency: translator.concurrency,
    unitChars: translator.unitChars,
    now,
  });
}

/** Same language, ignoring region and script: "en" and "en-US". */
export function sameLanguage(a: string | undefined, b: string): boolean {
  return !!a && a.split(/[-_]/)[0]!.toLowerCase() === b.split("-")[0]!.toLowerCase();
}

/**
 * Cron: translate a feed's newest issues (whole, so every view of them is ready) into its
 * configured languages. Waits for the provider; what does not fit the budget waits for a later run.
 */
export async function translateConfigured(env: Env, cfg: FeedConfig, state: FeedState, now = new Date()): Promise<TranslateStats[]> {
  const translator = cfg.languages?.length ? readTranslator(env) : null;
  if (!translator || !cfg.languages) return [];
  const store = new FeedStore(env.KV, cfg.id);
  const query = readQuery(new URLSearchParams({ granularity: "issue", limit: String(Math.max(1, translator.issues)) }), now);
  const items = await selectItems(state, query, (key) => store.getIssueHtml(key));
  const out: TranslateStats[] = [];
  for (const lang of cfg.languages) {
    if (sameLanguage(state.upstream.language, lang)) continue;
    const result = await translateFeedItems(env, translator, cfg.id, items, { lang, waitMs: Infinity, now });
    await result.done;
    out.push(result.stats);
  }
  return out;
}
