import { edgeCache } from "./cache.js";

/**
 * The time of every refresh attempt, kept in the Cache API rather than KV: an unchanged refresh
 * must cost no KV write, yet /status should say when upstream was last asked. Best effort: the
 * Cache API is per data centre and does nothing on *.workers.dev, where /status falls back to
 * the times recorded in KV (changes and failures).
 */
export interface Attempt {
  at: string;
  ok: boolean;
  httpStatus?: number;
}

const key = (feedId: string) => `https://heartbeat.feedslice.invalid/${encodeURIComponent(feedId)}`;

export async function recordAttempt(feedId: string, attempt: Attempt): Promise<void> {
  try {
    await edgeCache()?.put(key(feedId), new Response(JSON.stringify(attempt), { headers: { "Cache-Control": "max-age=2592000" } }));
  } catch {
    // best effort
  }
}

export async function lastAttempt(feedId: string): Promise<Attempt | undefined> {
  try {
    const res = await edgeCache()?.match(key(feedId));
    return res ? ((await res.json()) as Attempt) : undefined;
  } catch {
    return undefined;
  }
}
