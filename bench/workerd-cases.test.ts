/**
 * The benchmark inside workerd (npm run bench, after the Node table): the cases of bench/cases.ts
 * beside their baselines, timed with performance.now() — which advances in local workerd (on
 * Cloudflare it only moves on I/O, so a deployed worker cannot time itself this way). The clock
 * moves by whole milliseconds there, so a fast case's sample is the mean of several runs.
 * Prints a table; asserts nothing about time. In a file of its own: the naive baseline takes more
 * memory than an isolate may keep, and workerd may restart the isolate after it. The cases run
 * bundled, as a deployed Worker's code is (bench/workerd-entry.ts).
 */
import { env } from "cloudflare:test";
import decoder from "../src/parse/decode.wasm";
import { expect, it } from "vitest";

// The cases bundled (bench/workerd-entry.ts says why), built by npm run bench before this runs;
// imported by a specifier typed `string`, so that tsc does not look for the bundle.
const { makeCases, measure, table, useWasmDecoder, withNewIssue } = (await import("../dist/workerd-cases.mjs" as string)) as typeof import("./workerd-entry.js");

const RUNS = Number((env as { BENCH_RUNS?: string }).BENCH_RUNS ?? 21);
if (!useWasmDecoder(decoder)) throw new Error("the WebAssembly decoder could not be instantiated"); // as the Worker does (src/index.ts)

it("the cases, in workerd", async () => {
  const res = await fetch("https://fixtures.test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml");
  const month = new Uint8Array(await res.arrayBuffer());
  const next = new TextEncoder().encode(withNewIssue(new TextDecoder().decode(month)));
  const email = new Uint8Array(await (await fetch("https://fixtures.test/fixtures/upstream/real/times-top10-2023-02-03.rss.xml")).arrayBuffer());
  const cases = await makeCases(month, next, email);
  const rows = cases.map((c) => ({ c, t: measure(c, RUNS, () => performance.now(), 20) }));
  console.log(`\nfeedslice bench in workerd (vitest-pool-workers, local); ${RUNS} runs of each case and its baseline, alternating, after a warm-up\n\n${table(rows)}\n`);
  expect(rows.length).toBeGreaterThan(0);
}, 600_000);
