/**
 * The byte pass against a well-kept sanitizer library (sanitize-html, on htmlparser2) given the
 * same policy, on every issue of every fixture and every hostile input:
 * - never looser: the library, run on our output, finds nothing more to take out (the two token
 *   streams, parsed by htmlparser2 with references decoded, are the same);
 * - not needlessly stricter on real newsletters: our output has the text and the links the
 *   library's output of the same input has.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Parser } from "htmlparser2";
import sanitizeLib from "sanitize-html";
import { describe, expect, it } from "vitest";
import { parseFeed } from "../../src/parse/index.js";
import { sanitizeHtml } from "../../src/sanitize/index.js";
import { HOSTILE_HTML } from "../hostile/html.js";
import { LIBRARY } from "./library.js";

/** A token stream a reader's HTML parser would see: tags with sorted attributes, text collapsed. */
function tokens(html: string): string[] {
  const out: string[] = [];
  let text = "";
  const flush = () => {
    const t = text.replace(/\s+/g, " ").trim();
    if (t) out.push(`#${t}`);
    text = "";
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        flush();
        const kept = Object.entries(attrs)
          .filter(([k]) => k !== "rel")
          .map(([k, v]) => `${k}=${k === "style" ? v.split(";").map((d) => d.replace(/\s+/g, "")).filter(Boolean).join(";") : k === "srcset" ? v.replace(/\s+/g, "") : v}`)
          .sort();
        out.push(`<${name} ${kept.join(" ")}`);
      },
      ontext(t) {
        text += t;
      },
      onclosetag(name) {
        flush();
        out.push(`</${name}`);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return out;
}

const text = (html: string) => tokens(html).filter((t) => t.startsWith("#")).join(" ").replace(/\s+/g, " ");
const links = (html: string) => tokens(html).flatMap((t) => [...t.matchAll(/(?:href|src)=(\S+)/g)].map((m) => m[1]!));

const here = import.meta.dirname;
const FIXTURES = join(here, "../fixtures/upstream");
const files = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith(".xml") && !f.includes("month")),
  ...["real", "found"].flatMap((dir) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith(".xml")).map((f) => `${dir}/${f}`)),
];
const issues = files.flatMap((file) => parseFeed(readFileSync(join(FIXTURES, file), "utf8"), `https://upstream.example/${file}`).items.map((item, k) => ({ name: `${file} #${k}`, html: item.html })));

describe("sanitize against sanitize-html, the same policy", () => {
  it.each([...issues, ...HOSTILE_HTML.map(([name, html]) => ({ name: `hostile: ${name}`, html }))])("never looser: $name", ({ html }) => {
    const ours = sanitizeHtml(html);
    expect(tokens(sanitizeLib(ours, LIBRARY))).toEqual(tokens(ours));
  });

  it.each(issues)("keeps what the library keeps of a real newsletter: $name", ({ html }) => {
    const ours = sanitizeHtml(html);
    const lib = sanitizeLib(html, LIBRARY);
    expect(text(ours)).toBe(text(lib));
    expect(links(ours)).toEqual(links(lib));
  });
});
