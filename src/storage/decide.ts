/**
 * What a refresh decides, as pure functions of what it has read: how to ask upstream, what to
 * read the new state from, whether anything changed, and what it then writes to KV. `refreshFeed`
 * (refresh.ts) does the reading and the writing around them; test/storage/decide.test.ts checks
 * each without KV.
 */
import { hash53 } from "../lib/hash.js";
import type { FetchResult } from "../upstream/fetch.js";
import type { FeedConfig } from "../upstream/config.js";
import type { FeedStatus, StoredState, UpstreamMeta } from "./kv.js";
import { type BuiltState, isCurrent, sameLayout, STATE_VERSION } from "./state.js";

/** A body fetched (not a 304). */
type Fetched = Extract<FetchResult, { notModified: false }>;

/** How a refresh starts, from the stored state alone. */
export interface RefreshStart {
  /** The stored state is this code's and this configuration's (`isCurrent`): its issues are reused. */
  compatible: boolean;
  /** The last fetch, when it was of this same upstream URL. */
  last: UpstreamMeta | undefined;
  /** Send the last fetch's validators: a conditional GET (not when forced, nor for a state to re-split). */
  conditional: boolean;
  /** Entries were left for later (a parse budget spent): a 304 goes on with the stored body. */
  resuming: boolean;
}

export function startRefresh(previous: StoredState | null, cfg: Pick<FeedConfig, "url" | "preset" | "titles" | "split">, force: boolean): RefreshStart {
  const last = previous?.url === cfg.url ? previous.fetch : undefined;
  const compatible = !!previous && isCurrent(previous, cfg);
  return { compatible, last, conditional: compatible && !force, resuming: compatible && !!last && !!previous!.pending };
}

/** Whether a feed that is failing waits for its next try (`nextAttempt`) at `at`. */
export function backingOff(status: FeedStatus | null, at: string): boolean {
  return !!status?.nextAttempt && status.nextAttempt > at;
}

/** Backoff after consecutive failures: 15 min, 30 min, 1 h … at most 6 h. */
export function backoffMs(failures: number): number {
  return Math.min(15 * 60_000 * 2 ** Math.max(0, failures - 1), 6 * 3_600_000);
}

/**
 * What the new state is read from: the response's body; after a 304, the stored body when the
 * refresh goes on with entries left for later ("stored", or "refetch" unconditionally when that
 * body is not in KV); else nothing (upstream unchanged).
 */
export function readFrom(res: FetchResult, start: RefreshStart, stored: "in KV" | "not in KV"): "response" | "stored" | "refetch" | "nothing" {
  if (!res.notModified) return "response";
  if (!start.resuming) return "nothing";
  return stored === "in KV" ? "stored" : "refetch";
}

/**
 * Whether the refresh brought nothing new: a 304 with nothing to go on with, or the same body
 * (its hash) read into no new issue body, when not going on with entries left for later.
 */
export function nothingNew(res: FetchResult, built: (BuiltState & { bodyHash: string }) | undefined, start: RefreshStart): boolean {
  if (res.notModified) return !built;
  return !start.resuming && start.compatible && start.last?.bodyHash === built!.bodyHash && built!.bodies.size === 0;
}

/** What the state says of the last fetch: a new body's validators, or the stored body's, gone on with. */
export function upstreamMeta(cfg: Pick<FeedConfig, "url">, res: FetchResult, start: RefreshStart, bodyHash: string, at: string): UpstreamMeta {
  if (res.notModified) return { ...start.last!, bodyHash };
  return { url: cfg.url, fetchedAt: at, bytes: res.bytes, bodyHash, etag: res.etag, lastModified: res.lastModified, contentType: res.contentType, stored: "bytes" };
}

/**
 * Whether the response's body is written to KV (`upstream:`): it is stored once, so not when the
 * refresh goes on with the same one (the same validators, the same layout as far as both are
 * hashed), unless the stored one was found missing (`refetched`).
 */
export function writesBody(res: Fetched, previous: StoredState | null, start: RefreshStart, built: BuiltState, refetched: boolean): boolean {
  const last = start.last;
  const same = !refetched && start.compatible && !!last && res.etag === last.etag && res.lastModified === last.lastModified && sameLayout(previous!.layout, built.state.layout);
  return !same;
}

/** The token of a state: changes whenever what a reader would get changes. */
export function stateToken(state: StoredState): string {
  return hash53(`${STATE_VERSION}:${state.preset}:${state.url}:${state.fetch.bodyHash}:${state.refreshedAt}`);
}

/** The status after a refresh that stored new data. */
export function storedStatus(state: StoredState, at: string, httpStatus: number | undefined): FeedStatus {
  return { token: stateToken(state), lastSuccess: at, lastAttempt: at, httpStatus, failures: 0, pending: state.pending };
}

/** The status after the stored body was split again (no fetch): the new token; the failures as they were. */
export function rebuiltStatus(status: FeedStatus | null, state: StoredState): FeedStatus {
  return { ...status, failures: status?.failures ?? 0, token: stateToken(state), pending: state.pending };
}

/**
 * The status after a refresh that found nothing new: written only when it ends a run of failures
 * or the stored one could not be read; undefined, nothing is written.
 */
export function unchangedStatus(status: FeedStatus | null, previous: StoredState, at: string, httpStatus: number | undefined): FeedStatus | undefined {
  if (status && !status.failures) return undefined;
  return { ...status, token: stateToken(previous), httpStatus, lastAttempt: at, failures: 0, failingSince: undefined, lastError: undefined, nextAttempt: undefined };
}

/** The status after a failed refresh: one more failure, and the next try after its backoff. */
export function failedStatus(status: FeedStatus | null, now: Date, error: Error & { status?: number }, httpStatus: number | undefined): FeedStatus {
  const failures = (status?.failures ?? 0) + 1;
  const at = now.toISOString();
  return {
    ...status,
    lastAttempt: at,
    httpStatus: error.status ?? httpStatus,
    failures,
    failingSince: status?.failingSince ?? at,
    lastError: error.message,
    nextAttempt: new Date(now.getTime() + backoffMs(failures)).toISOString(),
  };
}
