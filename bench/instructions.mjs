// Instructions a case of bench/cases.ts costs, per run, counted by valgrind (callgrind) rather than
// timed: the count moves by under 1% from one run to the next whatever else the machine does, where
// timings on a noisy machine move by more than most changes. Node runs with --single-threaded, so
// that V8 compiles on the main thread at the same points every run (with compiler threads, when
// optimized code arrives depends on the machine, and the counts with it). Each checkout's cases
// are bundled, the case run LOW and HIGH times in two processes; the difference over HIGH - LOW
// runs is the case's own cost, setup and warm-up cancelling out.
//
//   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
//   node bench/instructions.mjs "cold ingest" /tmp/before .
//
// LOW (default 3) and HIGH (default 13) set the runs. A process's own count varies by about 0.1
// billion instructions (its startup, the collector), divided by HIGH - LOW in the result: enough
// for the cold ingest (half a billion a run), not for a case of a few million, which wants HIGH in
// the hundreds. Needs valgrind (Debian: valgrind). Slow: a process runs about fifty times slower
// under valgrind, the cases' setup included.
import { execFileSync, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { build } from "esbuild";

const [name, ...checkouts] = process.argv.slice(2);
if (!name || checkouts.length === 0) throw new Error('usage: node bench/instructions.mjs "<part of a case\'s name>" <checkout> [<checkout> …]');
const LOW = Number(process.env.LOW ?? 3);
const HIGH = Number(process.env.HIGH ?? 13);
try {
  execFileSync("valgrind", ["--version"], { stdio: "ignore" });
} catch {
  throw new Error("valgrind is not installed (Debian: apt-get install valgrind)");
}

// Run as a script: the first case whose name holds CASE, RUNS times.
const ENTRY = `import { readFileSync } from "node:fs";
import "./wasm.js";
import { makeCases } from "./cases.js";
import { withNewIssue } from "../test/helpers.js";
const root = new URL("../", import.meta.url);
const month = new Uint8Array(readFileSync(new URL("test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml", root)));
const next = new TextEncoder().encode(withNewIssue(new TextDecoder().decode(month)));
const email = new Uint8Array(readFileSync(new URL("test/fixtures/upstream/real/times-top10-2023-02-03.rss.xml", root)));
const c = (await makeCases(month, next, email)).find((c) => c.name.includes(process.env.CASE));
if (!c) throw new Error("no case named " + process.env.CASE);
console.log(c.name);
for (let k = Number(process.env.RUNS); k > 0; k--) c.run();
`;

/** The checkout's cases as a script in its dist/ (where bench/wasm.ts finds the decoder). */
async function bundle(checkout) {
  const dir = resolve(checkout);
  const outfile = `${dir}/dist/instructions-entry.mjs`;
  await build({ stdin: { contents: ENTRY, resolveDir: `${dir}/bench`, sourcefile: "instructions-entry.ts", loader: "ts" }, bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "warning", outfile });
  return outfile;
}

console.log(`| checkout | case | instructions per run (millions) |\n|---|---|---:|`);
let first;
for (const [k, checkout] of checkouts.entries()) {
  const script = await bundle(checkout);
  const low = count(script, LOW);
  const high = count(script, HIGH);
  const perRun = (high.refs - low.refs) / (HIGH - LOW);
  first ??= perRun;
  const ratio = k === 0 ? "" : ` (${(perRun / first).toFixed(3)} of the first)`;
  console.log(`| ${checkout} | ${high.caseName} | ${(perRun / 1e6).toFixed(1)}${ratio} |`);
}

/** Instructions of one process running the case `runs` times (valgrind's summary, on stderr), and the case's full name (on stdout). */
function count(script, runs) {
  const args = ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, "--single-threaded", script];
  const run = spawnSync("valgrind", args, { env: { ...process.env, CASE: name, RUNS: String(runs) }, encoding: "utf8", maxBuffer: 1 << 26 });
  const refs = Number(/I\s+refs:\s+([\d,]+)/.exec(run.stderr)?.[1]?.replaceAll(",", "") ?? NaN);
  if (run.status !== 0 || !Number.isFinite(refs)) throw new Error(`the case did not run under valgrind:\n${(run.stdout + run.stderr).slice(-2000)}`);
  return { refs, caseName: run.stdout.split("\n")[0] || name };
}
