/** The Cache API's default cache, where there is one (custom domains; not *.workers.dev, not Node). */
export function edgeCache(): Cache | undefined {
  return typeof caches === "undefined" ? undefined : (caches as unknown as { default: Cache }).default;
}
