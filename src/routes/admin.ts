import type { Env } from "../env.js";
import { refreshFeed } from "../storage/refresh.js";
import { HttpError, jsonResponse } from "./errors.js";
import { findFeed } from "./state.js";

/**
 * POST /admin/refresh/:feed — refresh now, ignoring validators and backoff. Needs
 * `Authorization: Bearer <ADMIN_TOKEN>`; without an ADMIN_TOKEN secret the route is off.
 */
export async function adminRefreshRoute(request: Request, env: Env, feedId: string): Promise<Response> {
  if (!env.ADMIN_TOKEN) throw new HttpError(403, "Admin routes are off: set the ADMIN_TOKEN secret (npx wrangler secret put ADMIN_TOKEN) to enable them.");
  const given = /^Bearer\s+(.+)$/i.exec(request.headers.get("Authorization") ?? "")?.[1] ?? "";
  if (!(await sameSecret(given, env.ADMIN_TOKEN))) {
    return new Response("Unauthorized: send Authorization: Bearer <ADMIN_TOKEN>.\n", {
      status: 401,
      headers: { "Content-Type": "text/plain; charset=utf-8", "WWW-Authenticate": 'Bearer realm="feedslice admin"' },
    });
  }
  const cfg = findFeed(env, feedId);
  try {
    const result = await refreshFeed(env, cfg, { force: true });
    return jsonResponse({
      feed: cfg.id,
      changed: result.changed,
      parsed: result.parsed,
      upstream_bytes: result.bytes,
      issues: result.state?.issues.length ?? 0,
      refreshed_at: result.state?.refreshedAt,
    }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    throw new HttpError(502, `Refreshing "${cfg.id}" failed; the last good data is still served: ${(e as Error).message}`);
  }
}

/** Compare secrets in constant time: SHA-256 both (equal lengths), then timingSafeEqual. */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [da, db] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(a)), crypto.subtle.digest("SHA-256", enc.encode(b))]);
  return (crypto.subtle as SubtleCrypto & { timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean }).timingSafeEqual(da, db);
}
