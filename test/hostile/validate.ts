/**
 * The real parsers the hostile corpus's outputs must pass, run in Node for the tests in workerd
 * (reached as https://validate.test/, see vitest.config.ts): a strict XML parser (expat) for every
 * RSS, Atom and OPML document, Python's feedparser (bozo must be 0) for RSS and Atom, and the
 * RFC 4287 RELAX NG schema (jing) for Atom. Needs `jing` and `python3-feedparser` (Debian
 * packages; .ci/run installs them); without them the answer says which checks were skipped.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Output {
  name: string;
  format: "rss" | "atom" | "opml";
  body: string;
}

export interface Verdict {
  name: string;
  errors: string[];
}

const has = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

/** A python3 with feedparser (Debian's; one earlier on the PATH may have none), and jing: undefined / false without them. */
export const PYTHON = ["/usr/bin/python3", "python3"].find((p) => has(p, ["-c", "import feedparser"]));
export const JING = has("which", ["jing"]);

const SCRIPT = `
import json, sys, xml.parsers.expat
try:
    import feedparser
except ImportError:
    feedparser = None
out = []
for path, fmt in json.load(open(sys.argv[1])):
    errors = []
    data = open(path, 'rb').read()
    try:
        xml.parsers.expat.ParserCreate().Parse(data, True)
    except Exception as e:
        errors.append('expat: %s' % e)
    if feedparser and fmt in ('rss', 'atom'):
        d = feedparser.parse(data, response_headers={'content-type': 'application/%s+xml; charset=utf-8' % fmt})
        if d.bozo:
            errors.append('feedparser: %s' % d.get('bozo_exception'))
    out.append(errors)
print(json.dumps({'feedparser': bool(feedparser), 'results': out}))
`;

export function validate(outputs: Output[], schema: string): { skipped: string[]; verdicts: Verdict[] } {
  const dir = mkdtempSync(join(tmpdir(), "feedslice-hostile-"));
  const paths = outputs.map((o, k) => {
    const path = join(dir, `${k}.${o.format}.xml`);
    writeFileSync(path, o.body);
    return path;
  });
  const list = join(dir, "list.json");
  writeFileSync(list, JSON.stringify(paths.map((p, k) => [p, outputs[k]!.format])));
  const skipped: string[] = [];
  const report = JSON.parse(execFileSync(PYTHON ?? "python3", ["-c", SCRIPT, list], { encoding: "utf8", maxBuffer: 64 * 2 ** 20 })) as { feedparser: boolean; results: string[][] };
  if (!report.feedparser) skipped.push("feedparser (install python3-feedparser)");
  const verdicts = outputs.map((o, k) => ({ name: o.name, errors: report.results[k]! }));
  const atoms = paths.filter((_, k) => outputs[k]!.format === "atom");
  if (!JING) skipped.push("jing (install jing)");
  else if (atoms.length) {
    let text = "";
    try {
      execFileSync("jing", ["-c", schema, ...atoms], { encoding: "utf8", maxBuffer: 64 * 2 ** 20, stdio: ["ignore", "pipe", "ignore"] });
    } catch (e) {
      text = String((e as { stdout?: string }).stdout ?? e);
    }
    for (const line of text.split("\n").filter(Boolean)) {
      const k = paths.findIndex((p) => line.startsWith(p));
      if (k >= 0) verdicts[k]!.errors.push(`jing: ${line.slice(paths[k]!.length)}`);
    }
  }
  return { skipped, verdicts };
}
