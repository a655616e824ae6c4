import { Router } from "itty-router";
import type { Env } from "../env.js";
import { ParamError } from "../filter/index.js";
import { ConfigError } from "../upstream/config.js";
import { HttpError, jsonResponse, textResponse } from "./errors.js";
import { adminRefreshRoute } from "./admin.js";
import { feedRoute, indexRoute } from "./feeds.js";
import { statusRoute } from "./status.js";

type Args = [Env, ExecutionContext];

const ROUTES = ["GET /feeds", "GET /feeds/:feed.{rss,atom,json,opml}", "GET /feeds/:feed/:section.{rss,atom,json}", "GET /status", "GET /healthz", "POST /admin/refresh/:feed"];

const router = Router<Request & { params: Record<string, string> }, Args>({
  catch: (err) => {
    if (err instanceof HttpError) return textResponse(err.status, err.message);
    if (err instanceof ParamError) return textResponse(400, err.message);
    if (err instanceof ConfigError) return textResponse(500, `feedslice is misconfigured: ${err.message}`);
    console.error(err);
    return textResponse(500, `Internal error: ${(err as Error).message}`);
  },
});

router
  .get("/", (req) => jsonResponse({ name: "feedslice", feeds: new URL("/feeds", req.url).href, routes: ROUTES }))
  .get("/healthz", () => textResponse(200, "ok"))
  .get("/feeds", (req, env) => indexRoute(req, env))
  .get("/feeds/:file", (req, env, ctx) => feedRoute(req, env, ctx, decodeURIComponent(req.params.file!)))
  .get("/feeds/:feed/:file", (req, env, ctx) =>
    feedRoute(req, env, ctx, decodeURIComponent(req.params.feed!), decodeURIComponent(req.params.file!)),
  )
  .get("/status", (_req, env) => statusRoute(env))
  .post("/admin/refresh/:feed", (req, env) => adminRefreshRoute(req, env, decodeURIComponent(req.params.feed!)))
  .all("*", (req) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return textResponse(405, `${req.method} is not supported here: feeds are read with GET.`, { Allow: "GET, HEAD" });
    }
    return textResponse(404, `Nothing at ${new URL(req.url).pathname}. Routes: ${ROUTES.join(", ")}.`);
  });

/** Serve a request. HEAD is answered as GET without a body. */
export async function handle(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const head = request.method === "HEAD";
  const res = await router.fetch(head ? new Request(request, { method: "GET" }) : request, env, ctx);
  return head ? new Response(null, res) : res;
}
