/**
 * npm run bench — the benchmark in Node: every case of bench/cases.ts beside its baseline, on the
 * month of AINews (8.2 MB, 22 issues); then a translated feed served from stored translations
 * (bench/translated.ts); then the peak memory of a cold ingest, measured in a child
 * process of its own (bench/memory.ts). RUNS=n sets the runs per case (default 21).
 *
 * It runs bundled (esbuild, into dist/bench.mjs), not through tsx: tsx reads the CommonJS modules
 * it loads (the `feed` package of a baseline) with es-module-lexer, a WebAssembly module that grows
 * its memory, and growing detaches the memory's ArrayBuffer — after which V8 checks every
 * typed-array access of the isolate for detachment: some 20% more instructions for the ingest, a
 * cost of the loader, not of the code measured (src/parse/wasm.ts never grows the decoder's memory
 * for that reason).
 */
import "./wasm.js";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { withNewIssue } from "../test/helpers.js";
import { BLOCK, makeCases, measure, table } from "./cases.js";
import { libraryBaseline } from "./sanitizer.js";
import { translatedServing } from "./translated.js";

const RUNS = Number(process.env.RUNS ?? 21);
const root = join(import.meta.dirname, "..");
const file = join(root, "test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
const month = new Uint8Array(readFileSync(file));
const next = new TextEncoder().encode(withNewIssue(new TextDecoder().decode(month)));

const email = new Uint8Array(readFileSync(join(root, "test/fixtures/upstream/real/times-top10-2023-02-03.rss.xml")));
const cases = await makeCases(month, next, email);
// The well-kept library the sanitizer is held to (test/sanitize/differential.node.test.ts), as its
// baseline: the reason the pass over the bytes is written by hand. Node only (it needs postcss).
const sanitizer = cases.find((c) => c.name.includes("the sanitizer"))!;
sanitizer.baseline = { name: "sanitize-html 2.18 (htmlparser2), the same policy, on the HTML as strings", run: await libraryBaseline(month) };
console.log(`feedslice bench, Node ${process.version}, ${cpus()[0]?.model ?? "?"} ×${cpus().length}; ${RUNS} runs of each case and its baseline, in alternating blocks of ${BLOCK} after a full GC and an untimed run, after a warm-up\n`);
const rows = cases.map((c) => ({ c, t: measure(c, RUNS, () => performance.now()) }));
// The cold ingest again, each run right after a full GC, as the first run of a block is.
const cold = cases[0]!;
const afterGc = { name: "  the same, each run right after a full GC (the memory it gave back faulted in again)", run: cold.run };
rows.splice(1, 0, { c: afterGc, t: measure(afterGc, RUNS, () => performance.now(), 0, 1, 0) });
console.log(table(rows));
console.log(`\n${await translatedServing(month, RUNS)}`);

// Peak memory: each in a fresh process, so that one's garbage does not count for the other.
const memory = (what: string) =>
  JSON.parse(execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", join(root, "bench/memory.ts"), what], { cwd: root, encoding: "utf8" })) as {
    peakRss: number;
    heapAfter: number;
    retained: number;
    maxRssBefore: number;
  };
const mb = (n: number) => (n / 2 ** 20).toFixed(1);
console.log("\n| peak memory of one ingest of the month, in a fresh process | peak RSS growth MB | heap in use after, before GC, MB | retained after GC MB | target |");
console.log("|---|---:|---:|---:|---|");
for (const [what, name] of [["cold", "cold ingest"], ["naive", "baseline: decode + fast-xml-parser + linkedom DOM split"]] as const) {
  const m = memory(what);
  const peak = Math.max(m.peakRss, m.heapAfter);
  const target = what === "cold" ? `< 64 MB ${peak < 64 * 2 ** 20 ? "✓" : "✗"}` : "";
  const note = m.maxRssBefore >= 0.05 * 2 ** 20 ? ` (startup peak above the baseline: ${mb(m.maxRssBefore)} MB)` : "";
  console.log(`| ${name}${note} | ${mb(m.peakRss)} | ${mb(m.heapAfter)} | ${mb(m.retained)} | ${target} |`);
}
