/**
 * Stand-ins for the translation providers, speaking their HTTP APIs (served to the worker by the
 * outbound stub in vitest.config.ts, in Node), and a stand-in for the AI binding.
 *
 * The "translation" marks every run of text that has letters with 【lang】 and keeps everything
 * else: tags, placeholders, handles, names. What a scenario does is in the URL (OpenAI-compatible:
 * https://openai.test/<scenario>/v1) or in the key (DeepL: "<scenario>:fx"):
 *   ok             translate
 *   outage         503 on every request
 *   ratelimit      429 (Retry-After: 1) on the scenario's first request, then translate
 *   droplink       answers without the first link
 *   droplink-once  the first answer for each text drops a link, the next is right
 *   slow           translate, after 300 ms
 * A scenario may carry a suffix after "~" to keep its counts apart ("ok~cron" behaves as "ok").
 * Every scenario counts requests and characters sent: GET https://openai.test/<scenario>/__stats,
 * https://api-free.deepl.com/__stats/<scenario>.
 */

export function fakeTranslate(html: string, lang: string): string {
  return html.replace(/(^|>)([^<]*)/g, (m, gt: string, text: string) => (/\p{L}/u.test(text) ? `${gt}【${lang}】${text}` : m));
}

export function dropFirstLink(html: string): string {
  return html.replace(/<a i="\d+">([\s\S]*?)<\/a>/, "$1");
}

export interface StubStats {
  requests: number;
  chars: number;
  texts: number;
  errors: number;
}

const stats = new Map<string, StubStats>();
const seen = new Set<string>();

function count(scenario: string): StubStats {
  let s = stats.get(scenario);
  if (!s) stats.set(scenario, (s = { requests: 0, chars: 0, texts: 0, errors: 0 }));
  return s;
}

const json = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json", ...headers } });

/** Failure a scenario asks for on this request, if any. */
function failure(name: string, s: StubStats): Response | undefined {
  const scenario = name.split("~")[0];
  if (scenario === "outage") return json({ error: { message: "upstream overloaded" } }, 503);
  if (scenario === "ratelimit" && s.requests === 1) return json({ error: { message: "rate limited" } }, 429, { "Retry-After": "1" });
  return undefined;
}

function answer(name: string, text: string, lang: string): string {
  const scenario = name.split("~")[0];
  const translated = fakeTranslate(text, lang);
  if (scenario === "droplink") return dropFirstLink(translated);
  if (scenario === "droplink-once" && !seen.has(name + text)) {
    seen.add(name + text);
    return dropFirstLink(translated);
  }
  return translated;
}

/** POST <base>/chat/completions, as OpenAI's API (and DeepSeek, OpenRouter, llama.cpp…) answers it. */
async function openai(request: Request, url: URL): Promise<Response> {
  const [, scenario, ...rest] = url.pathname.split("/");
  if (rest.join("/") === "__stats") return json(count(scenario!));
  if (rest.join("/") !== "v1/chat/completions" || request.method !== "POST") return json({ error: { message: "not found" } }, 404);
  const s = count(scenario!);
  s.requests++;
  const body = (await request.json()) as { model?: string; messages?: { role: string; content: string }[]; max_tokens?: number };
  const [system, user] = body.messages ?? [];
  if (!body.model || system?.role !== "system" || user?.role !== "user" || typeof user.content !== "string" || !(body.max_tokens! > 0)) {
    s.errors++;
    return json({ error: { message: "invalid request: model, a system and a user message and max_tokens are expected" } }, 400);
  }
  if (request.headers.get("Authorization") !== "Bearer test-key") return json({ error: { message: "invalid api key" } }, 401);
  s.chars += user.content.length;
  s.texts++;
  const fail = failure(scenario!, s);
  if (fail) return fail;
  if (scenario!.startsWith("slow")) await new Promise((r) => setTimeout(r, 300));
  const lang = /\(([\w-]+)\)\./.exec(system.content)?.[1] ?? "xx";
  return json({
    id: "chatcmpl-test",
    object: "chat.completion",
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content: answer(scenario!, user.content, lang) }, finish_reason: "stop" }],
  });
}

/** POST /v2/translate, as DeepL's API answers it (JSON body, tag_handling=html). */
async function deepl(request: Request, url: URL): Promise<Response> {
  if (url.pathname.startsWith("/__stats/")) return json(count(url.pathname.slice(9)));
  if (url.pathname !== "/v2/translate" || request.method !== "POST") return json({ message: "not found" }, 404);
  const auth = /^DeepL-Auth-Key (.+):fx$/.exec(request.headers.get("Authorization") ?? "");
  if (!auth || url.hostname !== "api-free.deepl.com") return json({ message: "Wrong endpoint or key" }, 403);
  const scenario = auth[1]!;
  const s = count(scenario);
  s.requests++;
  const body = (await request.json()) as { text?: string[]; target_lang?: string; tag_handling?: string };
  if (!Array.isArray(body.text) || body.text.length > 50 || !body.target_lang || body.tag_handling !== "html") {
    s.errors++;
    return json({ message: "Bad request" }, 400);
  }
  s.chars += body.text.reduce((n, t) => n + t.length, 0);
  s.texts += body.text.length;
  const fail = failure(scenario, s);
  if (fail) return fail;
  return json({ translations: body.text.map((t) => ({ detected_source_language: "EN", text: answer(scenario, t, body.target_lang!.toLowerCase()) })) });
}

/** The provider stubs, for the outbound service: a Response, or undefined if the host is not theirs. */
export function providerStub(request: Request): Promise<Response> | undefined {
  const url = new URL(request.url);
  if (url.hostname === "openai.test") return openai(request, url);
  if (url.hostname === "api-free.deepl.com" || url.hostname === "api.deepl.com") return deepl(request, url);
  return undefined;
}
