/**
 * feedslice: split digest feeds into per-section and per-topic feeds.
 * The Worker's edges: HTTP requests (routes/) and the cron refresh (storage/refresh.ts).
 */
import type { Env } from "./env.js";
import decoder from "./parse/decode.wasm";
import { useWasmDecoder } from "./parse/bytes.js";
import { handle } from "./routes/index.js";
import { FeedStore } from "./storage/kv.js";
import { refreshFeed } from "./storage/refresh.js";
import { translateConfigured } from "./translate/setup.js";
import { readFeedsConfig } from "./upstream/config.js";

// The XML text decoder, sixteen bytes a step (the JavaScript one goes four).
useWasmDecoder(decoder);

export default {
  fetch: handle,

  /**
   * Cron: refresh every upstream; a failing one keeps its last good data, backs off, and does not
   * stop the others. Then translate each feed's newest issues into its configured languages.
   */
  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const feeds = readFeedsConfig(env.FEEDS);
    ctx.waitUntil(
      Promise.allSettled(
        feeds.map(async (cfg) => {
          const { state } = await refreshFeed(env, cfg).catch((e) => {
            console.error(`refresh ${cfg.id}: ${(e as Error).message}`);
            return { state: null };
          });
          // Translated into its configured languages, from whatever data it has (even stale).
          const stored = state ?? (await new FeedStore(env.KV, cfg.id).getState());
          if (stored && cfg.languages?.length) await translateConfigured(env, cfg, stored);
        }),
      ).then((results) =>
        results.forEach((r, i) => {
          if (r.status === "rejected") console.error(`translate ${feeds[i]!.id}: ${(r.reason as Error).message}`);
        }),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
