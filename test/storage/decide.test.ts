/** A refresh's decisions (src/storage/decide.ts), one rule a test, without KV or fetch. */
import { describe, expect, it } from "vitest";
import { backingOff, backoffMs, failedStatus, nothingNew, readFrom, rebuiltStatus, startRefresh, stateToken, storedStatus, unchangedStatus, upstreamMeta, writesBody } from "../../src/storage/decide.js";
import type { FeedStatus, StoredState, UpstreamMeta } from "../../src/storage/kv.js";
import { type BuiltState, STATE_VERSION } from "../../src/storage/state.js";
import type { FetchResult } from "../../src/upstream/fetch.js";

const cfg = { url: "https://example.com/feed.xml", preset: "headings" as const };
const AT = "2026-12-01T12:00:00.000Z";
const fetched: UpstreamMeta = { url: cfg.url, fetchedAt: "2026-12-01T11:30:00.000Z", bytes: 100, bodyHash: "h1", etag: '"e1"', lastModified: "Tue, 01 Dec 2026 11:00:00 GMT", stored: "bytes" };
const layout = { bytes: 100, head: "a", tail: "b", entries: [{ hash: "x", start: 10, end: 90 }] };

function stored(over: Partial<StoredState> = {}): StoredState {
  return { version: STATE_VERSION, url: cfg.url, preset: cfg.preset, upstream: { format: "rss", title: "T", link: "https://example.com/", description: "" }, refreshedAt: fetched.fetchedAt, issues: [], fetch: fetched, layout, ...over };
}

function ok(over: Partial<Extract<FetchResult, { notModified: false }>> = {}): Extract<FetchResult, { notModified: false }> {
  return { notModified: false, status: 200, raw: new Uint8Array(100), body: "", bytes: 100, etag: fetched.etag, lastModified: fetched.lastModified, url: cfg.url, ...over };
}
const notModified: FetchResult = { notModified: true, status: 304 };

function built(over: { bodyHash?: string; bodies?: number; layout?: typeof layout } = {}): BuiltState & { bodyHash: string } {
  const bodies = new Map<string, string>();
  for (let k = 0; k < (over.bodies ?? 0); k++) bodies.set(`k${k}`, "<p>x</p>");
  return { state: stored({ layout: over.layout ?? layout }), bodies, dropped: [], parsed: bodies.size, bodyHash: over.bodyHash ?? "h1" };
}

describe("how a refresh starts", () => {
  it("a first fetch: nothing to reuse, no validators to send", () => {
    expect(startRefresh(null, cfg, false)).toEqual({ compatible: false, last: undefined, conditional: false, resuming: false });
  });

  it("a stored state of this code and upstream: a conditional GET, unless forced", () => {
    expect(startRefresh(stored(), cfg, false)).toMatchObject({ compatible: true, last: fetched, conditional: true });
    expect(startRefresh(stored(), cfg, true).conditional).toBe(false);
  });

  it("a state of another version, preset or pattern is fetched unconditionally (it is re-split)", () => {
    expect(startRefresh(stored({ version: STATE_VERSION - 1 }), cfg, false)).toMatchObject({ compatible: false, conditional: false });
    expect(startRefresh(stored({ preset: "ainews" }), cfg, false).conditional).toBe(false);
    expect(startRefresh(stored(), { ...cfg, titles: "^\\[AINews\\]" }, false).conditional).toBe(false);
  });

  it("the last fetch counts only when it was of the same upstream URL", () => {
    expect(startRefresh(stored({ url: "https://example.com/old.xml" }), cfg, false).last).toBeUndefined();
  });

  it("entries left for later: the refresh goes on with them", () => {
    expect(startRefresh(stored({ pending: 3 }), cfg, false).resuming).toBe(true);
    expect(startRefresh(stored(), cfg, false).resuming).toBe(false);
  });
});

describe("backoff", () => {
  it("a failing feed waits until its next attempt is due", () => {
    expect(backingOff({ failures: 2, nextAttempt: "2026-12-01T12:30:00.000Z" }, AT)).toBe(true);
    expect(backingOff({ failures: 2, nextAttempt: "2026-12-01T11:59:59.000Z" }, AT)).toBe(false);
    expect(backingOff(null, AT)).toBe(false);
  });

  it("doubles from 15 minutes to at most 6 hours", () => {
    expect([1, 2, 3, 5, 10].map(backoffMs)).toEqual([15, 30, 60, 240, 360].map((m) => m * 60_000));
  });
});

describe("what the new state is read from", () => {
  const going = startRefresh(stored({ pending: 2 }), cfg, false);
  it("a new body: the response", () => expect(readFrom(ok(), going, "not in KV")).toBe("response"));
  it("a 304 with nothing left for later: nothing", () => expect(readFrom(notModified, startRefresh(stored(), cfg, false), "in KV")).toBe("nothing"));
  it("a 304 going on: the stored body, or upstream again, unconditionally, when it is not in KV", () => {
    expect(readFrom(notModified, going, "in KV")).toBe("stored");
    expect(readFrom(notModified, going, "not in KV")).toBe("refetch");
  });
});

describe("whether anything changed", () => {
  const start = startRefresh(stored(), cfg, false);
  it("a 304 with nothing read: nothing new", () => expect(nothingNew(notModified, undefined, start)).toBe(true));
  it("the same body, no issue body to write: nothing new", () => expect(nothingNew(ok(), built(), start)).toBe(true));
  it("another body, or a new issue body, or a state to re-split, or entries gone on with: new data", () => {
    expect(nothingNew(ok(), built({ bodyHash: "h2" }), start)).toBe(false);
    expect(nothingNew(ok(), built({ bodies: 1 }), start)).toBe(false);
    expect(nothingNew(ok(), built(), startRefresh(stored({ version: STATE_VERSION - 1 }), cfg, false))).toBe(false);
    expect(nothingNew(ok(), built(), startRefresh(stored({ pending: 1 }), cfg, false))).toBe(false);
  });
});

describe("what is written", () => {
  const start = startRefresh(stored(), cfg, false);
  it("the upstream body once: not again for the same validators and layout", () => {
    expect(writesBody(ok(), stored(), start, built(), false)).toBe(false);
    expect(writesBody(ok({ etag: '"e2"' }), stored(), start, built(), false)).toBe(true);
    expect(writesBody(ok(), stored(), start, built({ layout: { ...layout, bytes: 101 } }), false)).toBe(true);
    expect(writesBody(ok(), stored(), start, built(), true)).toBe(true); // the stored one was missing
    expect(writesBody(ok(), null, startRefresh(null, cfg, false), built(), false)).toBe(true);
  });

  it("the fetch's record: the new body's validators, or the stored body's when gone on with", () => {
    expect(upstreamMeta(cfg, ok({ etag: '"e3"', bytes: 7 }), start, "h9", AT)).toEqual({ url: cfg.url, fetchedAt: AT, bytes: 7, bodyHash: "h9", etag: '"e3"', lastModified: fetched.lastModified, contentType: undefined, stored: "bytes" });
    expect(upstreamMeta(cfg, notModified, start, "h9", AT)).toEqual({ ...fetched, bodyHash: "h9" });
  });
});

describe("the status record", () => {
  const failing: FeedStatus = { token: "t", failures: 3, failingSince: "2026-11-30T00:00:00.000Z", lastError: "HTTP 503", nextAttempt: AT };
  it("nothing new: written only to end a run of failures, or in place of one that could not be read", () => {
    expect(unchangedStatus({ token: "t", failures: 0 }, stored(), AT, 304)).toBeUndefined();
    const recovered = unchangedStatus(failing, stored(), AT, 304)!;
    expect(recovered).toMatchObject({ failures: 0, failingSince: undefined, lastError: undefined, nextAttempt: undefined, lastAttempt: AT, httpStatus: 304, token: stateToken(stored()) });
    expect(unchangedStatus(null, stored(), AT, 200)).toMatchObject({ failures: 0, token: stateToken(stored()) });
  });

  it("new data: the new state's token and what is left for later", () => {
    const state = stored({ pending: 4, refreshedAt: AT });
    expect(storedStatus(state, AT, 200)).toEqual({ token: stateToken(state), lastSuccess: AT, lastAttempt: AT, httpStatus: 200, failures: 0, pending: 4 });
    expect(stateToken(state)).not.toBe(stateToken(stored()));
  });

  it("a failure: one more, since the first, and the next try after the backoff", () => {
    const failed = failedStatus(failing, new Date(AT), Object.assign(new Error("HTTP 502"), { status: 502 }), undefined);
    expect(failed).toMatchObject({ failures: 4, failingSince: failing.failingSince, lastError: "HTTP 502", httpStatus: 502, token: "t" });
    expect(failed.nextAttempt).toBe(new Date(Date.parse(AT) + backoffMs(4)).toISOString());
    expect(failedStatus(null, new Date(AT), new Error("parse"), 200)).toMatchObject({ failures: 1, failingSince: AT, httpStatus: 200 });
  });

  it("a re-split without fetching: the new token, the failures as they were", () => {
    expect(rebuiltStatus(failing, stored({ pending: 1 }))).toMatchObject({ failures: 3, lastError: "HTTP 503", token: stateToken(stored({ pending: 1 })), pending: 1 });
  });
});
