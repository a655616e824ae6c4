/**
 * Peak memory of one ingest of the month, in a process of its own: `node --expose-gc --import tsx
 * bench/memory.ts cold|naive` prints JSON, in bytes:
 *   peakRss    the process's peak resident set during the ingest (getrusage maxRSS, read after it)
 *              minus its resident set just before (input bytes read, a full GC done);
 *   heapAfter  V8 heap in use right after the ingest, before any GC, minus the heap before: the
 *              result and the garbage not yet collected (a lower bound of the heap's peak);
 *   retained   what the result (state and issue bodies) keeps after a full GC.
 * `maxRssBefore` is the peak resident set before the ingest minus the resident set then: when it
 * is above 0, peakRss may count an earlier peak (startup), so it is printed too.
 */
import "./wasm.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UPSTREAM_URL } from "./cases.js";
import { naiveIngest } from "./baseline.js";
import { decodeBody } from "../src/parse/index.js";
import { ingest } from "../src/storage/ingest.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const what = process.argv[2] ?? "cold";
const month = new Uint8Array(readFileSync(join(import.meta.dirname, "../test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml")));

gc();
gc();
const rss0 = process.memoryUsage().rss;
const maxRssBefore = process.resourceUsage().maxRSS * 1024 - rss0;
const heap0 = process.memoryUsage().heapUsed;
let result: unknown =
  what === "naive"
    ? naiveIngest(decodeBody(month, "application/rss+xml"))
    : ingest({ url: UPSTREAM_URL, preset: "ainews" }, month, { contentType: "application/rss+xml", url: UPSTREAM_URL, now: "2024-05-02T06:00:00.000Z" });
const heapAfter = process.memoryUsage().heapUsed - heap0;
const peakRss = process.resourceUsage().maxRSS * 1024 - rss0;
gc();
const retained = process.memoryUsage().heapUsed - heap0;
result = result && null;
console.log(JSON.stringify({ peakRss, heapAfter, retained, maxRssBefore }));
