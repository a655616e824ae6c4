/**
 * feedslice: split digest feeds into per-section and per-topic feeds.
 * The Worker's edges: HTTP requests (routes/) and the cron refresh (storage/refresh.ts).
 */
import type { Env } from "./env.js";
import { handle } from "./routes/index.js";
import { refreshFeed } from "./storage/refresh.js";
import { readFeedsConfig } from "./upstream/config.js";

export default {
  fetch: handle,

  /**
   * Cron: refresh every upstream; a failing one keeps its last good data, backs off, and does not
   * stop the others.
   */
  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const feeds = readFeedsConfig(env.FEEDS);
    ctx.waitUntil(
      Promise.allSettled(feeds.map((cfg) => refreshFeed(env, cfg))).then((results) =>
        results.forEach((r, i) => {
          if (r.status === "rejected") console.error(`refresh ${feeds[i]!.id}: ${(r.reason as Error).message}`);
        }),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
