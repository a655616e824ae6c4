import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

it("src/parse/decode.wasm is what wasm/decode.ts compiles to (npm run build:wasm)", async () => {
  const script = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts["build:wasm"] as string;
  const args = script.split(" ").slice(1);
  let wasm: Uint8Array | undefined;
  // Compiled in memory, from the project's directory: the files asc reads are the project's.
  process.chdir(root);
  const { error, stderr } = await asc.main(args, {
    writeFile: (name: string, contents: string | Uint8Array) => {
      if (name.endsWith(".wasm") && typeof contents !== "string") wasm = contents;
    },
  });
  expect(error, String(stderr)).toBeNull();
  expect(Buffer.compare(Buffer.from(wasm!), readFileSync(join(root, "src/parse/decode.wasm")))).toBe(0);
});

it("decoding bodies and reading feeds of growing sizes detaches no ArrayBuffer (V8 would then check every typed-array access)", () => {
  // In a process of its own: V8 reports the first detached ArrayBuffer of each isolate (the first
  // detachment invalidates its "ArrayBufferDetaching" protector). The tsx loader's thread may
  // report one of its own: the count is compared with the same process not decoding.
  const script = `
    import { readFileSync } from "node:fs";
    import { readBytes, useWasmDecoder } from "./src/parse/bytes.ts";
    if (!useWasmDecoder(new WebAssembly.Module(readFileSync("src/parse/decode.wasm")))) throw new Error("no WebAssembly decoder");
    const sizes = process.env.DECODE ? [300, 40_000, 200_000, 1_000_000] : []; // up to the longest body it takes
    for (const size of sizes) {
      const body = new TextEncoder().encode("<p a=\\"1\\">x &amp;lt; é</p>".repeat(Math.floor(size / 26)));
      if (readBytes(body).decode(0, body.length).html.bytes.length === 0) throw new Error("nothing decoded");
    }
    // A feed held in the module's memory while it is read (WasmReader): found, hashed, decoded.
    for (const size of process.env.DECODE ? [300, 40_000, 2_000_000, 9_000_000] : []) {
      const entry = "<item><description>" + "&lt;p&gt;x &amp;amp; é&lt;/p&gt;".repeat(Math.floor(Math.min(size, 900_000) / 32)) + "</description></item>";
      const feed = new TextEncoder().encode("<rss><channel>" + entry.repeat(Math.max(1, Math.floor(size / entry.length))) + "</channel></rss>");
      const body = readBytes(feed);
      const start = body.find(60, 14);
      const end = feed.indexOf(60, start + 19);
      if (start !== 14 || !body.hash(0, feed.length) || body.decode(start + 19, end).html.bytes.length === 0) throw new Error("not read");
    }`;
  const invalidations = (decode: boolean) => {
    const out = execFileSync(process.execPath, ["--trace-protector-invalidation", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DECODE: decode ? "1" : "" },
    });
    return out.split("\n").filter((line) => line.includes("ArrayBufferDetaching")).length;
  };
  expect(invalidations(true)).toBe(invalidations(false));
});
