/**
 * What serving a translated feed costs once its translations are stored: a section's feed of 50
 * topic items (/feeds/ainews/twitter.rss?granularity=topic&limit=50&lang=zh) assembled from
 * stored units and rendered, beside the same feed untranslated. A stand-in provider fills the
 * store first; the measured runs send nothing. Async (the translate stage reads its store), so
 * measured here rather than among the synchronous cases. Node only.
 */
import { readQuery, selectItems } from "../src/filter/index.js";
import { renderFeed } from "../src/render/index.js";
import { ingest } from "../src/storage/ingest.js";
import { translateItems, type TranslationRecord } from "../src/translate/index.js";

export async function translatedServing(month: Uint8Array, runs: number): Promise<string> {
  const url = "https://buttondown.com/ainews/rss";
  const { state, bodies } = ingest({ url, preset: "ainews" }, month, { contentType: "application/rss+xml", url, now: "2024-05-02T06:00:00.000Z" });
  const query = readQuery(new URLSearchParams("section=twitter&granularity=topic&limit=50"), new Date());
  const items = await selectItems(state, query, async (k) => bodies.get(k) ?? null);
  const records = new Map<string, TranslationRecord>();
  let sent = 0;
  const translate = () =>
    translateItems(items, {
      provider: {
        id: "stand-in",
        model: "stand-in",
        batch: { units: 1, chars: 4000 },
        translate: async ([t]) => (sent++, [t!.replace(/(^|>)([^<]*)/g, (m, gt: string, x: string) => (/\p{L}/u.test(x) ? `${gt}译文${x}` : m))]),
      },
      lang: "zh",
      store: { load: async (id) => records.get(id) ?? null, save: async (id, r) => void records.set(id, r) },
      budget: { take: async () => true, refund: () => {}, commit: async () => {} },
      waitMs: Infinity,
      concurrency: 4,
    });
  const meta = { title: "t", description: "d", link: url, selfUrls: { rss: url, atom: url, json: url }, format: "rss" as const, updated: items[0]!.date, author: "AINews" };
  const utf8 = new TextEncoder();
  await (await translate()).done; // fill the store
  const before = sent;
  const time = async (fn: () => Promise<unknown>) => {
    await fn(); // warm-up
    const ts: number[] = [];
    for (let i = 0; i < runs; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      const t = performance.now();
      await fn();
      ts.push(performance.now() - t);
    }
    ts.sort((a, b) => a - b);
    return { median: ts[ts.length >> 1]!, min: ts[0]!, max: ts[ts.length - 1]! };
  };
  const plain = await time(async () => utf8.encode(renderFeed(meta, items)));
  const zh = await time(async () => utf8.encode(renderFeed({ ...meta, language: "zh" }, (await translate()).items)));
  if (sent !== before) throw new Error("the measured runs sent units: the store did not hold them");
  const ms = (n: number) => n.toFixed(2);
  return [
    "| translated feed, from stored translations (Node) | median ms | min–max ms | runs |",
    "|---|---:|---:|---:|",
    `| ${items.length} Twitter topics in Chinese: assemble from stored units (plans kept by the isolate) + render RSS | ${ms(zh.median)} | ${ms(zh.min)}–${ms(zh.max)} | ${runs} |`,
    `| the same feed untranslated: render RSS | ${ms(plain.median)} | ${ms(plain.min)}–${ms(plain.max)} | ${runs} |`,
  ].join("\n");
}
