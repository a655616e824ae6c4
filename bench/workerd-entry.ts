/**
 * The cases of the workerd bench as one module: `npm run bench` bundles this file (esbuild, as
 * wrangler bundles a Worker) into dist/workerd-cases.mjs, which bench/workerd-cases.test.ts
 * imports. Through vitest, every source module is transformed apart and an import from another
 * module becomes a property read of that module's exports at every use — in a hot loop several
 * times the cost of the bundled Worker's module variables — so the core is measured bundled.
 */
export { makeCases, measure, table } from "./cases.js";
export { useWasmDecoder } from "../src/parse/bytes.js";
export { withNewIssue } from "../test/helpers.js";
