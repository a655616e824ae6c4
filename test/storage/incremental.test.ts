/**
 * A refresh that stops reading the upstream body at the first entry it already has: the state it
 * builds must be the one a full pass builds, whatever upstream did to the older entries — or,
 * for an edit that keeps every byte length, the documented miss that the rotating check mends.
 */
import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EntrySource, FeedSource } from "../../src/parse/index.js";
import { scanFeedBytes } from "../../src/parse/index.js";
import { refreshFeed } from "../../src/storage/refresh.js";
import { buildState } from "../../src/storage/build.js";
import { type FeedState } from "../../src/storage/state.js";
import { testFile, withNewIssue } from "../helpers.js";
import { forgetFeed } from "./records.js";

const URL_ = "https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml";
const NOW = "2024-05-02T06:00:00.000Z";
const month = await testFile("fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
const bytes = (s: string) => new TextEncoder().encode(s);

/** The source with a count of the entries read from it. */
function counted(source: FeedSource): FeedSource & { read: () => number } {
  let read = 0;
  const entries = source.entries;
  return {
    ...source,
    entries: {
      *[Symbol.iterator]() {
        for (const e of entries) {
          read++;
          yield e as EntrySource;
        }
      },
    },
    read: () => read,
  };
}

function refresh(body: string, previous: FeedState | undefined, stopAtKnown: boolean) {
  const source = counted(scanFeedBytes(bytes(body), "application/rss+xml", URL_));
  const built = buildState(source, { url: URL_, preset: "ainews", now: NOW, previous, stopAtKnown });
  return { ...built, read: source.read() };
}

const items = (xml: string) => [...xml.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0]);
const previous = refresh(month, undefined, false).state;

describe("stopping at the first known entry", () => {
  it("one new issue at the top: reads two entries, parses one, keeps the 22 others as stored", () => {
    const body = withNewIssue(month);
    const fast = refresh(body, previous, true);
    const full = refresh(body, previous, false);
    expect(fast.read).toBe(2);
    expect(full.read).toBe(23);
    expect(fast.parsed).toBe(1);
    expect(fast.state.issues).toHaveLength(23);
    expect(fast.state.issues[0]!.title).toBe("A new issue");
    expect(fast.state).toEqual(full.state); // issues, splits and layout: as if every entry had been read
    expect([...fast.bodies.keys()]).toEqual([fast.state.issues[0]!.key]);
    expect(fast.dropped).toEqual([]);
  });

  it("the same body again: reads one entry, parses nothing, the same layout", () => {
    const again = refresh(month, previous, true);
    expect(again.read).toBe(1);
    expect(again.parsed).toBe(0);
    expect(again.state.layout).toEqual(previous.layout);
  });

  it("the oldest issues fall off as a new one comes: they are dropped", () => {
    const old = items(month);
    const body = withNewIssue(month.replace(`\n    ${old.at(-1)}`, "").replace(`\n    ${old.at(-2)}`, ""));
    const fast = refresh(body, previous, true);
    expect(fast.read).toBe(2);
    expect(fast.state.issues).toHaveLength(21);
    expect(fast.dropped).toHaveLength(2);
    expect(fast.state).toEqual(refresh(body, previous, false).state);
  });

  it("an older issue edited (its length changes): read on to it, parse it, stop after it", () => {
    const tenth = items(month)[9]!;
    const edited = tenth.replace("&lt;/h1&gt;", "&lt;/h1&gt;&lt;p&gt;Correction: a late note.&lt;/p&gt;");
    const body = withNewIssue(month.replace(tenth, edited));
    const fast = refresh(body, previous, true);
    expect(fast.read).toBe(12); // the new one, nine known ones whose rest does not match, the edited one, the next
    expect(fast.parsed).toBe(2);
    expect(fast.dropped).toHaveLength(1); // the edited issue's old body
    expect(fast.state).toEqual(refresh(body, previous, false).state);
  });

  it("an older issue removed from the middle: read on to where it was", () => {
    const fifth = items(month)[4]!;
    const body = month.replace(fifth, "");
    const fast = refresh(body, previous, true);
    expect(fast.state.issues).toHaveLength(21);
    expect(fast.state).toEqual(refresh(body, previous, false).state);
  });

  it.each([
    ["the tenth issue", 9],
    ["the oldest issue", 21],
  ])("an edit that keeps every byte length (%s): unseen until its entry's turn to be checked comes", (_, index) => {
    const item = items(month)[index]!;
    const edited = item.replace("AI News for", "AI news for");
    expect(edited).not.toBe(item);
    const body = month.replace(item, edited);
    // One refresh every half hour: entries 1..21 (all but the first) take turns.
    const parsed = Array.from({ length: 21 }, (_, k) => {
      const now = new Date(Date.parse(NOW) + k * 1_800_000).toISOString();
      const source = scanFeedBytes(bytes(body), "application/rss+xml", URL_);
      return buildState(source, { url: URL_, preset: "ainews", now, previous, stopAtKnown: true }).parsed;
    });
    expect(parsed.filter((n) => n === 1)).toHaveLength(1);
    expect(parsed.filter((n) => n === 0)).toHaveLength(20);
    expect(refresh(body, previous, false).parsed).toBe(1); // a full pass reads it at once
  });

  it("another entry order upstream (a re-sorted feed) is read whole", () => {
    const old = items(month);
    const body = month.replace(old[0]!, "\u0000").replace(old[1]!, old[0]!).replace("\u0000", old[1]!);
    const fast = refresh(body, previous, true);
    expect(fast.parsed).toBe(0);
    expect(fast.state).toEqual(refresh(body, previous, false).state);
  });
});

describe("refreshFeed: the entries a refresh does not read", () => {
  const cfg = { id: "incremental", url: URL_, preset: "ainews" as const };
  beforeEach(() => forgetFeed(cfg.id)); // each test from a feed never fetched
  afterEach(() => vi.restoreAllMocks());
  const serve = (body: string) => vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response(body));
  const kvWrites = async (fn: () => Promise<unknown>) => {
    const put = vi.spyOn(env.KV, "put");
    const del = vi.spyOn(env.KV, "delete");
    await fn();
    return { puts: put.mock.calls.map((c) => String(c[0]).replace(/:[0-9a-z]+-[0-9a-z]+$/, ":<issue>")).sort(), deletes: del.mock.calls.length };
  };
  const at = (halfHours: number) => new Date(Date.UTC(2024, 4, 1, 6) + halfHours * 1_800_000);
  const tenth = items(month)[9]!;
  const edited = month.replace(tenth, tenth.replace("AI News for", "AI news for"));

  it("an edit that keeps every byte length is read within one round of checks (21 refreshes), writing only that issue", async () => {
    serve(month);
    await refreshFeed(env, cfg, { now: at(0) });
    serve(edited);
    const results: Awaited<ReturnType<typeof refreshFeed>>[] = [];
    for (let k = 1; k <= 21; k++) {
      const w = await kvWrites(async () => results.push(await refreshFeed(env, cfg, { now: at(k) })));
      if (results.at(-1)!.changed) {
        expect(results.at(-1)).toMatchObject({ changed: true, parsed: 1 });
        expect(w).toEqual({ puts: ["issue:incremental:<issue>", "state:incremental", "status:incremental", "upstream:incremental"], deletes: 1 });
        break;
      }
      expect(w).toEqual({ puts: [], deletes: 0 }); // not its turn: nothing written
    }
    expect(results.filter((r) => r.changed)).toHaveLength(1);
  });

  it("a forced refresh reads every entry at once", async () => {
    serve(month);
    await refreshFeed(env, cfg, { now: at(30), force: true });
    serve(edited);
    expect(await refreshFeed(env, cfg, { now: at(31), force: true })).toMatchObject({ changed: true, parsed: 1 });
  });

  it("a new issue: one entry parsed, one body written, nothing deleted", async () => {
    serve(edited);
    await refreshFeed(env, cfg, { now: at(31), force: true }); // the edited month stored
    serve(withNewIssue(edited));
    let result;
    const w = await kvWrites(async () => (result = await refreshFeed(env, cfg, { now: at(32) })));
    expect(result).toMatchObject({ changed: true, parsed: 1 });
    expect(w).toEqual({ puts: ["issue:incremental:<issue>", "state:incremental", "status:incremental", "upstream:incremental"], deletes: 0 });
  });
});
