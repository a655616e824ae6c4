// Two versions of the code, case by case, in one Node process: the cases of bench/cases.ts from
// each checkout, bundled and loaded side by side, run in alternating blocks. Prints each case's
// medians and the median of the pairs' ratios (B ÷ A: above 1, B is slower). Two runs of the bench
// differ by more than most changes; the ratio of blocks run side by side does not.
//
//   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
//   node --expose-gc bench/compare.mjs /tmp/before . [part of a case's name]
//
// ROUNDS (default 12) pairs of blocks of 5 runs each.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const [a, b, only] = process.argv.slice(2);
if (!a || !b) throw new Error("usage: node --expose-gc bench/compare.mjs <checkout A> <checkout B> [case]");
const ROUNDS = Number(process.env.ROUNDS ?? 12);
const BLOCK = 5;

/** The checkout's cases, bundled into its dist/ (where bench/wasm.ts finds the decoder, and its node_modules the packages). */
async function load(checkout) {
  const dir = resolve(checkout);
  const outfile = `${dir}/dist/compare-cases.mjs`;
  await build({
    stdin: { contents: 'import "./wasm.js";\nexport { makeCases } from "./cases.js";\nexport { withNewIssue } from "../test/helpers.js";\n', resolveDir: `${dir}/bench`, sourcefile: "compare-entry.ts", loader: "ts" },
    bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "warning", outfile,
  });
  return import(`${pathToFileURL(outfile).href}?${Date.now()}`);
}

const [A, B] = [await load(a), await load(b)];
const month = new Uint8Array(readFileSync(resolve(a, "test/fixtures/upstream/ainews-buttondown-2024-04-month.rss.xml")));
const next = new TextEncoder().encode(A.withNewIssue(new TextDecoder().decode(month)));
const email = new Uint8Array(readFileSync(resolve(a, "test/fixtures/upstream/real/times-top10-2023-02-03.rss.xml")));
const [ca, cb] = [await A.makeCases(month, next, email), await B.makeCases(month, next, email)];
const median = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];

console.log(`A ${a}, B ${b}; ${ROUNDS} pairs of blocks of ${BLOCK} runs\n\n| case | A median ms | B median ms | B ÷ A |\n|---|---:|---:|---:|`);
for (const x of ca.filter((c) => !only || c.name.includes(only))) {
  const y = cb.find((c) => c.name === x.name);
  if (!y) continue;
  const [ta, tb, ratios] = [[], [], []];
  x.run();
  y.run();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [c, t] of r % 2 ? [[y, tb], [x, ta]] : [[x, ta], [y, tb]]) {
      globalThis.gc?.();
      c.run();
      for (let k = 0; k < BLOCK; k++) {
        const start = performance.now();
        c.run();
        t.push(performance.now() - start);
      }
    }
    ratios.push(median(tb.slice(-BLOCK)) / median(ta.slice(-BLOCK)));
  }
  console.log(`| ${x.name} | ${median(ta).toFixed(2)} | ${median(tb).toFixed(2)} | ${median(ratios).toFixed(3)} |`);
}
