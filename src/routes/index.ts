import { Router } from "itty-router";
import type { Env } from "../env.js";
import { ParamError } from "../filter/index.js";
import { ConfigError } from "../upstream/config.js";
import { HttpError, jsonResponse, textResponse } from "./errors.js";
import { adminRefreshRoute } from "./admin.js";
import { feedIndexRoute, feedRoute, indexRoute } from "./feeds.js";
import { builderAsset, builderPage } from "./page.js";
import { statusRoute } from "./status.js";

type Args = [Env, ExecutionContext];

const ROUTES = ["GET /", "GET /feeds", "GET /feeds/:feed", "GET /feeds/:feed.{rss,atom,json,opml}", "GET /feeds/:feed/:section.{rss,atom,json}", "GET /status", "GET /healthz", "POST /admin/refresh/:feed"];

const router = Router<Request & { params: Record<string, string> }, Args>({
  catch: (err) => {
    if (err instanceof HttpError) return textResponse(err.status, err.message);
    if (err instanceof ParamError) return textResponse(400, err.message);
    // The operator's setting, not the request: unavailable until it is mended.
    if (err instanceof ConfigError) return textResponse(503, `feedslice is misconfigured: ${err.message}`);
    // A fault of ours or of the platform, not of the request: worth asking again shortly.
    console.error(err);
    return textResponse(503, `feedslice could not answer this request just now (${(err as Error).message}). Try again in a minute.`, { "Retry-After": "60" });
  },
});

router
  .get("/", (req, env, ctx) =>
    /\bapplication\/json\b/.test(req.headers.get("Accept") ?? "") && !/text\/html/.test(req.headers.get("Accept") ?? "")
      ? jsonResponse({ name: "feedslice", feeds: new URL("/feeds", req.url).href, routes: ROUTES })
      : builderPage(req, env, (path) => handle(new Request(new URL(path, req.url)), env, ctx)),
  )
  .get("/assets/:file", (req) => builderAsset(req.params.file!) ?? textResponse(404, `No asset ${req.params.file}.`))
  .get("/healthz", () => textResponse(200, "ok"))
  .get("/feeds", (req, env) => indexRoute(req, env))
  .get("/feeds/:file", (req, env, ctx) => {
    const file = pathPart(req.params.file!);
    // A feed's name alone, with no format asked for: what the feed is, not the feed.
    const bare = !file.includes(".") && !new URL(req.url).searchParams.has("format");
    return bare ? feedIndexRoute(req, env, file) : feedRoute(req, env, ctx, file);
  })
  .get("/feeds/:feed/:file", (req, env, ctx) => feedRoute(req, env, ctx, pathPart(req.params.feed!), pathPart(req.params.file!)))
  .get("/status", (_req, env) => statusRoute(env))
  .post("/admin/refresh/:feed", (req, env) => adminRefreshRoute(req, env, pathPart(req.params.feed!)))
  .all("*", (req) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return textResponse(405, `${req.method} is not supported here: feeds are read with GET.`, { Allow: "GET, HEAD" });
    }
    return textResponse(404, `Nothing at ${new URL(req.url).pathname}. Routes: ${ROUTES.join(", ")}.`);
  });

/** A path segment, percent-decoded; a malformed escape ("%ff", "%") is the client's mistake. */
function pathPart(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `The path segment "${segment.slice(0, 100)}" has a malformed percent-escape: write "%" as "%25".`);
  }
}

/** Serve a request. HEAD is answered as GET without a body. */
export async function handle(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const head = request.method === "HEAD";
  const res = await router.fetch(head ? new Request(request, { method: "GET" }) : request, env, ctx);
  return head ? new Response(null, res) : res;
}
