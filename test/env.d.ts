import type { Env as FeedsliceEnv } from "../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends FeedsliceEnv {}
  }
}
