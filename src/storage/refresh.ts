import type { Env } from "../env.js";
import type { FeedConfig } from "../upstream/config.js";
import { type FetchResult, fetchUpstream, UpstreamError } from "../upstream/fetch.js";
import { recordAttempt } from "./heartbeat.js";
import { backingOff, failedStatus, nothingNew, type RefreshStart, readFrom, rebuiltStatus, startRefresh, storedStatus, unchangedStatus, upstreamMeta, writesBody } from "./decide.js";
import { FeedStore, type StoredState, type UpstreamMeta } from "./kv.js";
import { ingest, ingestText } from "./ingest.js";
import { readSettings } from "../settings.js";
import type { BuiltState, FeedState } from "./state.js";

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
  const force = !!opts.force;
  const store = new FeedStore(env.KV, cfg.id);
  const [previous, status] = await Promise.all([store.getState(), store.getStatus()]);
  if (!force && backingOff(status, at)) return { state: previous, changed: false, skipped: true };
  let httpStatus: number | undefined;
  try {
    const start = startRefresh(previous, cfg, force);
    const { res, stored, refetched } = await fetchForRefresh(env, cfg, store, start);
    httpStatus = res.status;
    // A forced refresh also writes again every issue body that is missing from KV.
    const missing = force && previous?.issues.length ? await missingBodies(store, previous) : undefined;
    const maxParseBytes = readSettings(env).parseBudgetBytes;
    const built = !res.notModified
      ? ingest(cfg, res.raw, { contentType: res.contentType, url: res.url, now: at, previous, stopAtKnown: !force, maxParseBytes, missing })
      : stored && start.last
        ? ingest(cfg, stored, { contentType: start.last.contentType, url: start.last.url, now: at, previous, stopAtKnown: true, maxParseBytes })
        : undefined;
    if (previous && nothingNew(res, built, start)) {
      const recovered = unchangedStatus(status, previous, at, httpStatus);
      if (recovered) await store.putStatus(recovered);
      await recordAttempt(cfg.id, { at, ok: true, httpStatus });
      return { state: previous, changed: false, parsed: 0, bytes: res.notModified ? 0 : res.bytes };
    }
    if (!built) throw new UpstreamError(`${cfg.url} answered 304 to a request without validators`);
    const state = await writeBuilt(store, built, upstreamMeta(cfg, res, start, built.bodyHash, at));
    if (!res.notModified && writesBody(res, previous, start, built, refetched)) await store.putUpstream(res.raw);
    await store.putStatus(storedStatus(state, at, httpStatus));
    await recordAttempt(cfg.id, { at, ok: true, httpStatus });
    return { state, changed: true, parsed: built.parsed, bytes: res.notModified ? 0 : res.bytes };
  } catch (e) {
    const failed = failedStatus(status, now, e as UpstreamError, httpStatus);
    await store.putStatus(failed);
    await recordAttempt(cfg.id, { at, ok: false, httpStatus: failed.httpStatus });
    throw e;
  }
}

/**
 * Ask upstream, conditionally when `start` says so. Entries that a refresh left for later are
 * gone on with from the stored body when upstream has not changed (`stored`); if that body is not
 * stored (lost, or never written), upstream is asked for it again, unconditionally (`refetched`).
 */
async function fetchForRefresh(env: Env, cfg: FeedConfig, store: FeedStore, start: RefreshStart): Promise<{ res: FetchResult; stored: Uint8Array | null; refetched: boolean }> {
  const settings = readSettings(env);
  const fetchBody = (conditional: boolean) =>
    fetchUpstream(cfg.url, {
      etag: conditional ? start.last?.etag : undefined,
      lastModified: conditional ? start.last?.lastModified : undefined,
      assets: env.ASSETS,
      allowPrivate: settings.allowPrivateUpstreams,
      timeoutMs: settings.upstreamTimeoutMs,
      maxBytes: settings.upstreamMaxBytes,
    });
  const res = await fetchBody(start.conditional);
  const stored = res.notModified && start.resuming ? await store.getUpstream() : null;
  const from = readFrom(res, start, stored ? "in KV" : "not in KV");
  if (from === "refetch") return { res: await fetchBody(false), stored: null, refetched: true };
  return { res, stored, refetched: false };
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
    const state = await writeBuilt(store, built, meta);
    await store.putStatus(rebuiltStatus(await store.getStatus(), state));
    return state;
  }
  if (body === null || previous.url !== cfg.url) return (await refreshFeed(env, cfg, { force: true })).state!;
  const built =
    previous.fetch.stored === "bytes"
      ? ingest(cfg, body, { contentType: previous.fetch.contentType, url: previous.fetch.url, now: previous.fetch.fetchedAt, previous, maxParseBytes: readSettings(env).parseBudgetBytes })
      : ingestText(cfg, new TextDecoder().decode(body), { url: previous.fetch.url, now: previous.fetch.fetchedAt, previous });
  const state = await writeBuilt(store, built, { ...previous.fetch, bodyHash: built.bodyHash });
  await store.putStatus(rebuiltStatus(await store.getStatus(), state));
  return state;
}

/** Write a built state: bodies first, state last (a reader never sees a state whose bodies are not written). */
async function writeBuilt(store: FeedStore, built: BuiltState, meta: UpstreamMeta): Promise<StoredState> {
  await Promise.all([...built.bodies].map(([key, html]) => store.putIssueHtml(key, html)));
  const state: StoredState = { ...built.state, fetch: meta };
  await store.putState(state);
  await Promise.all(built.dropped.map((key) => store.deleteIssue(key)));
  return state;
}
