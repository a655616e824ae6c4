/** The worker's bindings and variables (wrangler.toml, secrets, .dev.vars). */
export interface Env {
  /** JSON array of upstreams: [{ "id", "url", "title"?, "preset"? }]. */
  FEEDS: string;
  /** "true" lets upstream URLs point at loopback/private addresses (local development and tests). */
  ALLOW_PRIVATE_UPSTREAMS?: string;
  KV: KVNamespace;
  /** Static assets: the bundled sample upstreams under samples/. */
  ASSETS?: Fetcher;
}
