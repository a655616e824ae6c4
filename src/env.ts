/** The worker's bindings and variables (wrangler.toml, secrets, .dev.vars). */
export interface Env {
  /** JSON array of upstreams: [{ "id", "url", "title"?, "preset"? }]. */
  FEEDS: string;
  /** "true" lets upstream URLs point at loopback/private addresses (local development and tests). */
  ALLOW_PRIVATE_UPSTREAMS?: string;
  /** Upstream fetch limits: timeout in milliseconds (default 20000), body size in bytes (default 20 MB). */
  UPSTREAM_TIMEOUT_MS?: string;
  UPSTREAM_MAX_BYTES?: string;
  /** Cache-Control max-age of rendered feeds, in seconds (default 300). */
  CACHE_MAX_AGE?: string;
  /** Secret: enables POST /admin/refresh/:feed with `Authorization: Bearer <ADMIN_TOKEN>`. */
  ADMIN_TOKEN?: string;
  KV: KVNamespace;
  /** Static assets: the bundled sample upstreams under samples/. */
  ASSETS?: Fetcher;
}
