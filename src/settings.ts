/**
 * The worker's settings beyond FEEDS and the translator (wrangler.toml [vars]), each parsed by one
 * rule and read once per environment: unset or empty gives its default; anything else must be a
 * whole number in its range ("true"/"false" for a switch), else a ConfigError that names the
 * setting — a 503 for a request that needs it, the refresh's error in /status. Never a silent
 * default for a typo.
 */
import type { Env } from "./env.js";
import { DEFAULT_PARSE_BUDGET_BYTES } from "./storage/state.js";
import { ConfigError } from "./upstream/config.js";

export interface Settings {
  /** ALLOW_PRIVATE_UPSTREAMS: upstreams (and redirects) may point at loopback and private addresses. */
  allowPrivateUpstreams: boolean;
  /** UPSTREAM_TIMEOUT_MS, UPSTREAM_MAX_BYTES: the limits of an upstream fetch. */
  upstreamTimeoutMs: number;
  upstreamMaxBytes: number;
  /** PARSE_BUDGET_BYTES: bytes of entries a refresh parses at most; undefined for no limit ("0"). */
  parseBudgetBytes: number | undefined;
  /** CACHE_MAX_AGE: Cache-Control max-age of feeds and OPML, in seconds. */
  cacheMaxAge: number;
}

const read = new WeakMap<Env, Settings>();

export function readSettings(env: Env): Settings {
  let settings = read.get(env);
  if (!settings) {
    const budget = wholeNumber(env, "PARSE_BUDGET_BYTES", DEFAULT_PARSE_BUDGET_BYTES, 0, 2 ** 31);
    settings = {
      allowPrivateUpstreams: flag(env, "ALLOW_PRIVATE_UPSTREAMS"),
      upstreamTimeoutMs: wholeNumber(env, "UPSTREAM_TIMEOUT_MS", 20_000, 1, 600_000),
      upstreamMaxBytes: wholeNumber(env, "UPSTREAM_MAX_BYTES", 20 * 1024 * 1024, 1, 2 ** 31),
      parseBudgetBytes: budget === 0 ? undefined : budget,
      cacheMaxAge: wholeNumber(env, "CACHE_MAX_AGE", 300, 0, 31_536_000),
    };
    read.set(env, settings);
  }
  return settings;
}

/** A setting that is a whole number from `min` to `max`; `fallback` when unset. */
export function wholeNumber(env: Env, name: keyof Env, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const text = String(raw).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

function flag(env: Env, name: keyof Env): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  throw new ConfigError(`${name} must be "true" or "false" (got ${JSON.stringify(raw)})`);
}
