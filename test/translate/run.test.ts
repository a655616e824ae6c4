import { describe, expect, it } from "vitest";
import { readQuery, selectItems } from "../../src/filter/index.js";
import type { FeedItem } from "../../src/model.js";
import { buildState } from "../../src/storage/build.js";
import { type Provider, ProviderError, translateItems, type TranslationRecord, UNTRANSLATED } from "../../src/translate/index.js";
import { fixtureFeed } from "../helpers.js";
import { dropFirstLink, fakeTranslate } from "./stub.js";
import { expectEvery } from "../expect.js";

/** Twitter topics of the April 2024 fixture, as the filter stage hands them to translation. */
async function items(limit = 5): Promise<FeedItem[]> {
  const feed = await fixtureFeed("ainews-buttondown-2024-04.rss.xml");
  const { state, bodies } = buildState(feed, { url: "https://x.example/rss", preset: "ainews", now: "2026-11-01T00:00:00Z" });
  return selectItems(state, readQuery(new URLSearchParams(`section=twitter&granularity=topic&limit=${limit}`), new Date()), async (k) => bodies.get(k) ?? null);
}

function run(list: FeedItem[], provider: Provider, records = new Map<string, TranslationRecord>(), now = new Date("2026-11-28T00:00:00Z")) {
  return translateItems(list, {
    provider,
    lang: "zh",
    store: { load: async (id) => structuredClone(records.get(id) ?? null), save: async (id, r) => void records.set(id, structuredClone(r)) },
    budget: { take: async () => true, refund: () => {}, commit: async () => {} },
    waitMs: Infinity,
    concurrency: 3,
    now,
    backoffMs: () => 1,
  });
}

const provider = (translate: Provider["translate"]): Provider => ({ id: "test", model: "m", batch: { units: 1, chars: 4000 }, translate });

describe("the translation run", () => {
  it("keeps at most `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const r = await run(
      await items(20),
      provider(async ([t], lang) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return [fakeTranslate(t!, lang)];
      }),
    );
    await r.done;
    expect(r.stats.requests).toBeGreaterThan(6);
    expect(most).toBe(3);
  });

  it("a unit whose answers broke structure is not asked for again the same day, is a day later, and sheds its mark", async () => {
    const records = new Map<string, TranslationRecord>();
    const list = await items(3);
    let calls = 0;
    const broken = provider(async ([t], lang) => (calls++, [dropFirstLink(fakeTranslate(t!, lang))]));
    const first = await run(list, broken, records);
    await first.done;
    expect(first.stats.failedUnits).toBeGreaterThan(0);
    expect(first.items.some((i) => i.categories.includes(UNTRANSLATED))).toBe(true);
    const marked = [...records.values()].reduce((n, r) => n + Object.keys(r.failed ?? {}).length, 0);
    expect(marked).toBe(first.stats.failedUnits);

    calls = 0;
    await (await run(list, broken, records, new Date("2026-11-28T12:00:00Z"))).done;
    expect(calls).toBe(0);

    const fixed = provider(async ([t], lang) => (calls++, [fakeTranslate(t!, lang)]));
    const later = await run(list, fixed, records, new Date("2026-11-29T01:00:00Z"));
    await later.done;
    expect(calls).toBe(marked);
    expectEvery(later.items, (i) => !i.categories.includes(UNTRANSLATED));
    expectEvery([...records.values()], (r) => !r.failed || Object.keys(r.failed).length === 0);
  });

  it("gives up on a Retry-After longer than it will wait, and leaves the provider alone after three failures in a row", async () => {
    let calls = 0;
    const r = await run(
      await items(20),
      provider(async () => {
        calls++;
        throw new ProviderError("answered 429", true, 3600);
      }),
    );
    await r.done;
    expect(calls).toBeLessThanOrEqual(3 + 2); // three in a row, and what was already in flight
    expect(r.untranslated).toBe(20);
    expect(r.stats.errors[0]).toMatch(/429/);
  });
});
