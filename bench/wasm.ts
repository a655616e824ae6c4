/**
 * In Node, the decoder a Worker uses: src/index.ts gives the core the WebAssembly build of the XML
 * text decoder (src/parse/decode.wasm); the benchmark does the same, from the file. Imported
 * first, for its effect.
 */
import { readFileSync } from "node:fs";
import { useWasmDecoder } from "../src/parse/bytes.js";

if (!useWasmDecoder(new WebAssembly.Module(readFileSync(new URL("../src/parse/decode.wasm", import.meta.url))))) throw new Error("the WebAssembly decoder could not be instantiated");
