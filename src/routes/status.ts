import type { Env } from "../env.js";
import { lastAttempt } from "../storage/heartbeat.js";
import { FeedStore } from "../storage/kv.js";
import { layoutDrift } from "../split/drift.js";
import { jsonResponse } from "./errors.js";
import type { FeedConfig } from "../upstream/config.js";
import { feedConfigs } from "./state.js";

/**
 * GET /status — for each feed: last attempt and last success, upstream status and ETag, issues
 * (and entries not parsed yet) and items, layout drift, failures and the last error. Reads KV (two small keys
 * per feed) and the heartbeat.
 */
export async function statusRoute(env: Env): Promise<Response> {
  const feeds = await Promise.all(
    feedConfigs(env).map(async (cfg) => {
      try {
        return await feedStatus(env, cfg);
      } catch (e) {
        // One feed whose records cannot be read does not take the others down.
        return { id: cfg.id, upstream: cfg.url, error: (e as Error).message };
      }
    }),
  );
  return jsonResponse({ feeds }, { headers: { "Cache-Control": "no-store" } });
}

async function feedStatus(env: Env, cfg: FeedConfig) {
  const store = new FeedStore(env.KV, cfg.id);
  const [state, status, attempt] = await Promise.all([store.getState(), store.getStatus(), lastAttempt(cfg.id)]);
  const sections = state?.issues.reduce((n, i) => n + i.split.sections.length, 0) ?? 0;
  const topics = state?.issues.reduce((n, i) => n + i.split.sections.reduce((m, s) => m + s.topics.length, 0), 0) ?? 0;
  const latest = (...times: (string | undefined)[]) => times.filter(Boolean).sort().at(-1) ?? null;
  return {
    id: cfg.id,
    upstream: cfg.url,
    fetched: !!state,
    last_attempt: latest(status?.lastAttempt, attempt?.at, state?.fetch.fetchedAt),
    last_success: latest(status?.lastSuccess, attempt?.ok ? attempt.at : undefined, state?.fetch.fetchedAt),
    last_change: state?.fetch.fetchedAt ?? null,
    upstream_status: (attempt && attempt.at >= (status?.lastAttempt ?? "") ? attempt.httpStatus : status?.httpStatus) ?? null,
    upstream_etag: state?.fetch.etag ?? null,
    upstream_last_modified: state?.fetch.lastModified ?? null,
    upstream_bytes: state?.fetch.bytes ?? null,
    issues: state?.issues.length ?? 0,
    // Entries upstream has that the next refreshes will parse (a refresh parses PARSE_BUDGET_BYTES at most).
    pending_entries: state?.pending ?? 0,
    items: { sections, topics },
    layout_drift: state ? (layoutDrift(state.issues, state.preset) ?? null) : null,
    failures: status?.failures ?? 0,
    last_error: status?.failures ? status.lastError : null,
    failing_since: status?.failingSince ?? null,
    next_attempt: status?.nextAttempt ?? null,
  };
}
