import type { UpstreamFeed } from "../model.js";

/** A feed's own fields, and the base its entries' relative links resolve against. */
export interface FeedHead extends Omit<UpstreamFeed, "items"> {
  base: string;
}
