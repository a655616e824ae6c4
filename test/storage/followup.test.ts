/**
 * A new subscriber's first fetch of a long feed, spread over refreshes by the parse budget, is
 * finished by the follow-up cron (FOLLOW_UP_CRON, every minute between the 30-minute refreshes)
 * instead of one 30-minute refresh at a time. Through the worker's scheduled handler, real local
 * KV, the month of AINews (8.2 MB, 22 issues) at the default budget.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env.js";
import worker from "../../src/index.js";
import { FeedStore } from "../../src/storage/kv.js";
import { FOLLOW_UP_CRON } from "../../src/storage/refresh.js";
import { DEFAULT_PARSE_BUDGET_BYTES } from "../../src/storage/state.js";
import { expectEvery } from "../expect.js";

const MONTH = "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml";
const TWIR = "https://fixtures.test/fixtures/upstream/twir-2026.atom.xml";
const FEEDS = JSON.stringify([
  { id: "month", url: MONTH, preset: "ainews" },
  { id: "twir", url: TWIR },
]);
const e = { ...env, FEEDS, PARSE_BUDGET_BYTES: String(DEFAULT_PARSE_BUDGET_BYTES) } as Env;

afterEach(() => vi.restoreAllMocks());

async function cron(cron: string, at: Date): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at.getTime(), cron }), e, ctx);
  await waitOnExecutionContext(ctx);
}

describe("the follow-up cron", () => {
  it("finishes a first fetch a minute at a time, and touches no feed that has nothing pending", async () => {
    const t0 = Date.UTC(2024, 4, 2, 6, 0);
    await cron("*/30 * * * *", new Date(t0));
    const month = new FeedStore(e.KV, "month");
    const first = (await month.getState())!;
    expect(first.issues.length).toBeLessThan(22);
    expect((await month.getStatus())!.pending).toBe(22 - first.issues.length);
    expect((await new FeedStore(e.KV, "twir").getStatus())!.pending).toBeUndefined();

    const fetches = vi.spyOn(globalThis, "fetch");
    let runs = 0;
    while ((await month.getStatus())!.pending && runs < 40) await cron(FOLLOW_UP_CRON, new Date(t0 + ++runs * 60_000));
    const done = (await month.getState())!;
    expect(done.issues).toHaveLength(22);
    expect(done.pending).toBeUndefined();
    // One issue a run at the default budget (each AINews issue of the month is 250–500 KB of entry).
    expect(runs).toBe(22 - first.issues.length);
    // Only the pending feed was fetched: one request a run.
    expectEvery(fetches.mock.calls.map((c) => new Request(c[0] as RequestInfo).url), (u) => u === MONTH);
    expect(fetches).toHaveBeenCalledTimes(runs);

    // Nothing pending any more: a follow-up run fetches nothing.
    fetches.mockClear();
    await cron(FOLLOW_UP_CRON, new Date(t0 + (runs + 1) * 60_000));
    expect(fetches).not.toHaveBeenCalled();
  });
});
