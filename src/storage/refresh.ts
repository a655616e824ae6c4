import type { Env } from "../env.js";
import { hash53 } from "../lib/hash.js";
import type { FeedConfig } from "../upstream/config.js";
import { fetchUpstream, UpstreamError } from "../upstream/fetch.js";
import { recordAttempt } from "./heartbeat.js";
import { FeedStore, type FeedStatus, type StoredState, type UpstreamMeta } from "./kv.js";
import { ingest, ingestText } from "./ingest.js";
import { readSettings } from "../settings.js";
import { type BuiltState, type FeedState, isCurrent, sameLayout, STATE_VERSION } from "./state.js";

export type { StoredState } from "./kv.js";

export interface RefreshResult {
  state: StoredState | null;
  /** False when upstream had nothing new (304, or the same body), or the refresh was skipped. */
  changed: boolean;
  /** Skipped: the feed is failing and its next try is not due yet (backoff). */
  skipped?: boolean;
  /** Entries parsed and split (the others were reused), and upstream body bytes read. */
  parsed?: number;
  bytes?: number;
}

/**
 * The cron that only goes on with first fetches a refresh left unfinished (wrangler.toml's
 * second trigger): every minute but those of the 30-minute refresh, a feed whose status says
 * entries are pending is refreshed (a conditional GET; upstream unchanged, the stored body is read
 * on), and no other feed is touched beyond a read of its small status record.
 */
export const FOLLOW_UP_CRON = "1-29,31-59 * * * *";

/** Whether a feed has entries left for later, from its small status record alone. */
export async function hasPending(env: Env, cfg: FeedConfig): Promise<boolean> {
  return !!(await new FeedStore(env.KV, cfg.id).getStatus())?.pending;
}

/** Backoff after consecutive failures: 15 min, 30 min, 1 h … at most 6 h. */
export function backoffMs(failures: number): number {
  return Math.min(15 * 60_000 * 2 ** Math.max(0, failures - 1), 6 * 3_600_000);
}

/** The token of a state: changes whenever what a reader would get changes. */
export function stateToken(state: StoredState): string {
  return hash53(`${STATE_VERSION}:${state.preset}:${state.url}:${state.fetch.bodyHash}:${state.refreshedAt}`);
}

/**
 * Fetch → parse → split → store one feed. Upstream validators make it a conditional GET; a 304
 * or an unchanged body writes nothing and splits nothing; a changed body parses and splits only
 * the entries whose source changed — and reads it only down to the first entry it already has
 * (see `buildState`). On failure the stored data is left as it was, the failure is recorded with
 * a backoff, and the error is thrown. `force` ignores validators and backoff, and reads every
 * entry.
 */
export async function refreshFeed(env: Env, cfg: FeedConfig, opts: { now?: Date; force?: boolean } = {}): Promise<RefreshResult> {
  const now = opts.now ?? new Date();
  const at = now.toISOString();
  const store = new FeedStore(env.KV, cfg.id);
  const [previous, status] = (await Promise.all([store.getState(), store.getStatus()])) as [StoredState | null, FeedStatus | null];
  if (!opts.force && status?.nextAttempt && status.nextAttempt > at) return { state: previous, changed: false, skipped: true };
  let httpStatus: number | undefined;
  try {
    const settings = readSettings(env);
    const same = previous?.url === cfg.url ? previous.fetch : undefined;
    const compatible = !!previous && isCurrent(previous, cfg);
    const fetchBody = (conditional: boolean) =>
      fetchUpstream(cfg.url, {
        etag: conditional ? same?.etag : undefined,
        lastModified: conditional ? same?.lastModified : undefined,
        assets: env.ASSETS,
        allowPrivate: settings.allowPrivateUpstreams,
        timeoutMs: settings.upstreamTimeoutMs,
        maxBytes: settings.upstreamMaxBytes,
      });
    let res = await fetchBody(compatible && !opts.force);
    httpStatus = res.status;
    const budget = settings.parseBudgetBytes;
    // Entries that a refresh left for later (its budget spent) are gone on with, from the stored
    // body when upstream has not changed; if that body is not stored (lost, or never written),
    // upstream is asked for it again, unconditionally.
    const resuming = compatible && !!same && !!previous.pending;
    const stored = res.notModified && resuming ? await store.getUpstream() : null;
    const lost = res.notModified && resuming && !stored;
    if (lost) {
      res = await fetchBody(false);
      httpStatus = res.status;
    }
    // A forced refresh also writes again every issue body that is missing from KV.
    const missing = opts.force && previous?.issues.length ? await missingBodies(store, previous) : undefined;
    const built = !res.notModified
      ? ingest(cfg, res.raw, { contentType: res.contentType, url: res.url, now: at, previous, stopAtKnown: !opts.force, maxParseBytes: budget, missing })
      : stored && same
        ? ingest(cfg, stored, { contentType: same.contentType, url: same.url, now: at, previous, stopAtKnown: true, maxParseBytes: budget })
        : undefined;
    const unchanged = res.notModified ? !built : !resuming && compatible && same?.bodyHash === built!.bodyHash && built!.bodies.size === 0;
    if (unchanged && previous) {
      // Nothing new: no KV write, unless this ends a run of failures
      // (or a status that could not be read: it is written again).
      if (!status || status.failures) {
        await store.putStatus({ ...status, token: stateToken(previous), httpStatus, lastAttempt: at, failures: 0, failingSince: undefined, lastError: undefined, nextAttempt: undefined });
      }
      await recordAttempt(cfg.id, { at, ok: true, httpStatus });
      return { state: previous, changed: false, parsed: 0, bytes: res.notModified ? 0 : res.bytes };
    }
    if (!built) throw new UpstreamError(`${cfg.url} answered 304 to a request without validators`);
    const meta: UpstreamMeta = res.notModified
      ? { ...same!, bodyHash: built.bodyHash } // the stored body, gone on with
      : {
          url: cfg.url,
          fetchedAt: at,
          bytes: res.bytes,
          bodyHash: built.bodyHash,
          etag: res.etag,
          lastModified: res.lastModified,
          contentType: res.contentType,
          stored: "bytes",
        };
    const state = await store_(store, built, meta);
    // The body is stored once: a refresh that goes on with the same one (the same validators, the
    // same layout as far as both are hashed) does not write it again, unless it was found missing.
    if (!res.notModified) {
      const sameBody = !lost && compatible && same && res.etag === same.etag && res.lastModified === same.lastModified && sameLayout(previous.layout, built.state.layout);
      if (!sameBody) await store.putUpstream(res.raw);
    }
    await store.putStatus({ token: stateToken(state), lastSuccess: at, lastAttempt: at, httpStatus, failures: 0, pending: state.pending });
    await recordAttempt(cfg.id, { at, ok: true, httpStatus });
    return { state, changed: true, parsed: built.parsed, bytes: res.notModified ? 0 : res.bytes };
  } catch (e) {
    const err = e as Error;
    const failures = (status?.failures ?? 0) + 1;
    await store.putStatus({
      ...status,
      lastAttempt: at,
      httpStatus: (e as UpstreamError).status ?? httpStatus,
      failures,
      failingSince: status?.failingSince ?? at,
      lastError: err.message,
      nextAttempt: new Date(now.getTime() + backoffMs(failures)).toISOString(),
    });
    await recordAttempt(cfg.id, { at, ok: false, httpStatus: (e as UpstreamError).status ?? httpStatus });
    throw e;
  }
}

/** Keys of the state's issues whose body KV does not hold. */
async function missingBodies(store: FeedStore, state: FeedState): Promise<Set<string>> {
  const stored = await store.issueKeys();
  return new Set(state.issues.map((i) => i.key).filter((k) => !stored.has(k)));
}

/**
 * Re-split the stored upstream body without fetching: after an upgrade or a preset change, or
 * (`previous` null) when the stored state could not be read and upstream cannot be reached.
 */
export async function rebuildFeed(env: Env, cfg: FeedConfig, previous: StoredState | null): Promise<StoredState> {
  const store = new FeedStore(env.KV, cfg.id);
  const body = await store.getUpstream();
  if (previous === null) {
    if (body === null) throw new UpstreamError(`no stored upstream body to rebuild "${cfg.id}" from`);
    const at = new Date().toISOString();
    const built = ingest(cfg, body, { url: cfg.url, now: at, maxParseBytes: readSettings(env).parseBudgetBytes });
    const meta: UpstreamMeta = { url: cfg.url, fetchedAt: at, bytes: body.length, bodyHash: built.bodyHash, stored: "bytes" };
    const state = await store_(store, built, meta);
    const status = await store.getStatus();
    await store.putStatus({ ...status, failures: status?.failures ?? 0, token: stateToken(state), pending: state.pending });
    return state;
  }
  if (body === null || previous.url !== cfg.url) return (await refreshFeed(env, cfg, { force: true })).state!;
  const built =
    previous.fetch.stored === "bytes"
      ? ingest(cfg, body, { contentType: previous.fetch.contentType, url: previous.fetch.url, now: previous.fetch.fetchedAt, previous, maxParseBytes: readSettings(env).parseBudgetBytes })
      : ingestText(cfg, new TextDecoder().decode(body), previous.fetch.url, previous.fetch.fetchedAt, previous);
  const state = await store_(store, built, { ...previous.fetch, bodyHash: built.bodyHash });
  const status = await store.getStatus();
  await store.putStatus({ ...status, failures: status?.failures ?? 0, token: stateToken(state), pending: state.pending });
  return state;
}

/** Write a built state: bodies first, state last (a reader never sees a state whose bodies are not written). */
async function store_(store: FeedStore, built: BuiltState, meta: UpstreamMeta): Promise<StoredState> {
  await Promise.all([...built.bodies].map(([key, html]) => store.putIssueHtml(key, html)));
  const state: StoredState = { ...built.state, fetch: meta };
  await store.putState(state);
  await Promise.all(built.dropped.map((key) => store.deleteIssue(key)));
  return state;
}
