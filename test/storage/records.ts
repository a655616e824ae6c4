import { env } from "cloudflare:test";
import { KEYS } from "../../src/storage/kv.js";

/** Every record of a feed deleted from local KV: the feed as never fetched. */
export async function forgetFeed(feed: string): Promise<void> {
  for (const prefix of [KEYS.state(feed), KEYS.status(feed), KEYS.upstream(feed), KEYS.issues(feed)]) {
    for (const { name } of (await env.KV.list({ prefix })).keys) if (name === prefix || prefix.endsWith(":")) await env.KV.delete(name);
  }
}
