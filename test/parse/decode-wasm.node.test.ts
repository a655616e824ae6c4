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
