// Each filter parameter's check, broken one at a time: the filter tests must fail for every one.
//
//   node bench/filter-mutations.mjs            (all of them, a minute or two each)
//   node bench/filter-mutations.mjs q topic    (some, by name)
//
// A mutation replaces one exact piece of src/ (which must occur once), runs the filter and route
// tests, and puts the file back, also when the run is interrupted. Prints "caught" with the first
// failing test, or "MISSED"; exits 1 when one is missed.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const MUTATIONS = [
  ["q", "src/filter/index.ts", "if (terms && !terms.some((t) => folded.includes(t))) return false;", ""],
  ["q folding", "src/filter/index.ts", "const terms = q.q?.map(fold);", "const terms = q.q;"],
  ["exclude_q", "src/filter/index.ts", "if (excluded && excluded.some((t) => folded.includes(t))) return false;", ""],
  ["q_re", "src/filter/index.ts", "if (q.qRe && !found(q.qRe, text)) return false;", ""],
  ["exclude_q_re", "src/filter/index.ts", "if (q.excludeQRe && found(q.excludeQRe, text)) return false;", ""],
  ["topic", "src/filter/index.ts", "if (allowed && !(q.topic && !q.topic.some((t) => fold(topic.title).includes(fold(t)))))", "if (allowed)"],
  ["category", "src/filter/index.ts", "if (!q.category.some((c) => cats.includes(fold(c)))) return false;", ""],
  ["since filter", "src/filter/index.ts", "if (q.after && issue.date < q.after) return false;", ""],
  ["since parse", "src/filter/query.ts", 'since: since(one("since")),', "since: undefined,"],
  ["days", "src/filter/query.ts", "query.days && new Date(now.getTime() - query.days * 86_400_000).toISOString(),", ""],
  ["section", "src/filter/index.ts", "if (q.sections && !ids.some((id) => q.sections!.includes(id))) return false;", ""],
  ["exclude_section", "src/filter/index.ts", "if (q.excludeSections && ids.every((id) => q.excludeSections!.includes(id))) return false;", ""],
  ["section unknown id", "src/routes/feeds.ts", "if (unknown?.length) throw", "if (false) throw"],
  ["limit cap", "src/filter/query.ts", 'integer(one("limit"), "limit", 1, MAX_LIMIT,', 'integer(one("limit"), "limit", 1, 1e9,'],
  ["filter author", "src/filter/index.ts", "found(r.filter, text) || found(r.filter, author) ||", "found(r.filter, text) ||"],
  ["filter_author", "src/filter/index.ts", "if (r.filter_author && !found(r.filter_author, author)) return false;", ""],
  ["filterout_author", "src/filter/index.ts", "if (r.filterout_author && found(r.filterout_author, author)) return false;", ""],
];
const TESTS = ["test/filter", "test/routes/filters.test.ts", "test/routes/feeds.test.ts"];

const only = process.argv.slice(2);
let restore;
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => (restore?.(), process.exit(130)));
let missed = 0;
for (const [name, file, from, to] of MUTATIONS) {
  if (only.length && !only.includes(name)) continue;
  const source = readFileSync(file, "utf8");
  if (source.split(from).length !== 2) throw new Error(`${name}: the piece to replace is not in ${file} exactly once`);
  restore = () => writeFileSync(file, source);
  writeFileSync(file, source.replace(from, to));
  try {
    execFileSync("npx", ["vitest", "run", ...TESTS], { stdio: "pipe", encoding: "utf8" });
    console.log(`MISSED  ${name}`);
    missed++;
  } catch (e) {
    const failed = /FAIL .*? > (.*)/.exec(`${e.stdout}${e.stderr}`.replace(/\x1b\[[0-9;]*m/g, ""))?.[1] ?? "(no test name in the output)";
    console.log(`caught  ${name}: ${failed}`);
  } finally {
    restore();
    restore = undefined;
  }
}
process.exit(missed ? 1 : 0);
