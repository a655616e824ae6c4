import type { AiBinding } from "./translate/providers.js";

/** The worker's bindings and variables (wrangler.toml, secrets, .dev.vars). */
export interface Env {
  /** JSON array of upstreams: [{ "id", "url", "title"?, "preset"?, "languages"? }]. */
  FEEDS: string;
  /** "true" lets upstream URLs point at loopback/private addresses (local development and tests). */
  ALLOW_PRIVATE_UPSTREAMS?: string;
  /** Upstream fetch limits: timeout in milliseconds (default 20000), body size in bytes (default 20 MB). */
  UPSTREAM_TIMEOUT_MS?: string;
  UPSTREAM_MAX_BYTES?: string;
  /** Bytes of entries a refresh parses at most, newest first; the next refresh goes on (default 500000; "0": no limit). */
  PARSE_BUDGET_BYTES?: string;
  /** Cache-Control max-age of rendered feeds, in seconds (default 300). */
  CACHE_MAX_AGE?: string;
  /** Secret: enables POST /admin/refresh/:feed with `Authorization: Bearer <ADMIN_TOKEN>`. */
  ADMIN_TOKEN?: string;
  /** Translation (lang=): "workers-ai", "openai" or "deepl"; unset, lang= answers 400. */
  TRANSLATOR?: string;
  /** workers-ai: the AI binding and the model (default @cf/meta/llama-3.3-70b-instruct-fp8-fast). */
  AI?: AiBinding;
  WORKERS_AI_MODEL?: string;
  /** openai: an OpenAI-compatible API (…/v1, to which /chat/completions is appended), its model, its key (secret). */
  OPENAI_BASE_URL?: string;
  OPENAI_MODEL?: string;
  OPENAI_API_KEY?: string;
  /** deepl: the key (secret; ":fx" keys use the free API) and, optionally, the endpoint. */
  DEEPL_API_KEY?: string;
  DEEPL_API_URL?: string;
  /** Characters a provider may be sent per day (UTC; default 1,000,000). */
  TRANSLATE_DAILY_CHARS?: string;
  /** Requests in flight (default 4), per-request timeout (ms, default 60000), how long a reader waits (ms, default 10000), unit size (default 4000). */
  TRANSLATE_CONCURRENCY?: string;
  TRANSLATE_TIMEOUT_MS?: string;
  TRANSLATE_WAIT_MS?: string;
  TRANSLATE_UNIT_CHARS?: string;
  /** How many of a feed's newest issues the cron translates into its configured languages (default 3). */
  TRANSLATE_ISSUES?: string;
  KV: KVNamespace;
  /** Static assets: the bundled sample upstreams under samples/. */
  ASSETS?: Fetcher;
}
