/** The sanitizer's baseline in Node: sanitize-html with our policy, on the same HTML as strings. */
import sanitizeHtml from "sanitize-html";
import { parseFeed } from "../src/parse/index.js";
import { LIBRARY } from "../test/sanitize/library.js";
import { UPSTREAM_URL } from "./cases.js";

export async function libraryBaseline(month: Uint8Array): Promise<() => unknown> {
  const htmls = parseFeed(month, UPSTREAM_URL).items.map((i) => i.html);
  return () => htmls.map((h) => sanitizeHtml(h, LIBRARY));
}
