/**
 * feedslice: split digest feeds into per-section and per-topic feeds.
 * The Worker's edges: HTTP requests (routes/) and the cron refresh (storage/refresh.ts).
 */
import type { Env } from "./env.js";
import decoder from "./parse/decode.wasm";
import { useWasmDecoder } from "./parse/bytes.js";
import { handle } from "./routes/index.js";
import { FeedStore } from "./storage/kv.js";
import { FOLLOW_UP_CRON, hasPending, refreshFeed } from "./storage/refresh.js";
import { translateConfigured } from "./translate/setup.js";
import { readFeedsConfig } from "./upstream/config.js";

// The XML text decoder, sixteen bytes a step (the JavaScript one goes four).
useWasmDecoder(decoder);

export default {
  fetch: handle,

  /**
   * Cron: refresh every upstream; a failing one keeps its last good data, backs off, and does not
   * stop the others. Then translate each feed's newest issues into its configured languages.
   * The follow-up cron (FOLLOW_UP_CRON) only goes on with first fetches left unfinished.
   */
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    if (controller.cron === FOLLOW_UP_CRON) {
      const feeds = readFeedsConfig(env.FEEDS);
      const due = await Promise.all(feeds.map((cfg) => hasPending(env, cfg)));
      ctx.waitUntil(
        Promise.allSettled(feeds.filter((_, k) => due[k]).map((cfg) => refreshFeed(env, cfg))).then((results) =>
          results.forEach((r) => r.status === "rejected" && console.error(`follow-up refresh: ${(r.reason as Error).message}`)),
        ),
      );
      return;
    }
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
