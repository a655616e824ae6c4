/**
 * Translation providers, each through its own API: Workers AI (an instruction model through the
 * AI binding), any OpenAI-compatible chat-completions endpoint, and DeepL. A provider translates
 * compacted HTML units (see plan.ts) and says whether a failure is worth retrying.
 */

/** Bump when the prompt or the compaction changes: stored translations of other versions are not reused. */
export const PROMPT_VERSION = 1;

export interface Provider {
  /** "workers-ai", "openai" or "deepl": names the daily budget. */
  id: string;
  model: string;
  /** How many units, and how many characters, one request may carry. */
  batch: { units: number; chars: number };
  /** One translation per text, in order. Throws ProviderError. */
  translate(texts: string[], lang: string, signal: AbortSignal): Promise<string[]>;
}

/**
 * A failed call. `retry`: worth trying again (429, 5xx, network, timeout); `retryAfter`: what the
 * provider asked for, in seconds; `answer`: the provider answered, but not with a usable text
 * (cut off at max_tokens, no choices): like a broken translation, retried once then given up.
 */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    message: string,
    readonly retry: boolean,
    readonly retryAfter?: number,
    readonly answer = false,
  ) {
    super(message);
  }
}

/** The AI binding, as far as we use it. */
export interface AiBinding {
  run(model: string, input: Record<string, unknown>): Promise<unknown>;
}

/** The language's name in English and in itself, for prompts and titles: "Chinese (中文)". */
export function languageName(lang: string, inLang = "en"): string {
  try {
    return new Intl.DisplayNames([inLang], { type: "language" }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

export function systemPrompt(lang: string): string {
  return [
    `Translate the HTML fragment from an AI newsletter into ${languageName(lang)} (${lang}).`,
    "Answer with the translated fragment only: no explanation, no code fence.",
    'Keep every tag exactly as it is and where it belongs, including its i="…" attribute; keep empty elements empty.',
    "Translate only the human-readable text. Keep unchanged: @handles, URLs, names of models, products, companies and people, code, numbers.",
  ].join("\n");
}

/** Generous room for the answer: translated HTML is about as long as the source, in tokens. */
function maxTokens(text: string): number {
  return Math.min(8192, Math.max(512, Math.ceil(text.length * 1.5)));
}

/** Strip what chat models wrap answers in: a code fence, surrounding blank lines. */
export function unwrap(answer: string): string {
  const m = /^\s*```[a-z]*\n([\s\S]*?)\n?```\s*$/i.exec(answer);
  return (m ? m[1]! : answer).trim();
}

/** Call an HTTP API, mapping failures to ProviderError. */
async function post(url: string, init: RequestInit, what: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, method: "POST" });
  } catch (e) {
    const err = e as Error;
    throw new ProviderError(`${what}: ${err.name === "TimeoutError" || err.name === "AbortError" ? "timed out" : err.message}`, true);
  }
  if (!res.ok) {
    const detail = (await res.text().catch(() => "")).slice(0, 200).trim();
    const retryAfter = Number(res.headers.get("Retry-After"));
    const retry = res.status === 429 || res.status >= 500;
    throw new ProviderError(`${what} answered ${res.status}${detail ? `: ${detail}` : ""}`, retry, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  try {
    return await res.json();
  } catch {
    throw new ProviderError(`${what} answered with something that is not JSON`, true);
  }
}

/** An OpenAI-compatible chat-completions API: OpenAI, DeepSeek, OpenRouter, llama.cpp, Ollama… */
export function openAi(opts: { baseUrl: string; model: string; apiKey?: string; timeoutMs: number; unitChars: number }): Provider {
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  return {
    id: "openai",
    model: opts.model,
    batch: { units: 1, chars: opts.unitChars },
    async translate([text], lang, signal) {
      const body = await post(
        url,
        {
          headers: { "Content-Type": "application/json", ...(opts.apiKey ? { Authorization: `Bearer ${opts.apiKey}` } : {}) },
          body: JSON.stringify({
            model: opts.model,
            temperature: 0,
            max_tokens: maxTokens(text!),
            messages: [
              { role: "system", content: systemPrompt(lang) },
              { role: "user", content: text },
            ],
          }),
          signal: AbortSignal.any([signal, AbortSignal.timeout(opts.timeoutMs)]),
        },
        `the translation API at ${url}`,
      );
      const choice = (body as { choices?: { message?: { content?: string }; finish_reason?: string }[] }).choices?.[0];
      if (typeof choice?.message?.content !== "string") throw new ProviderError(`${url} gave no answer`, false, undefined, true);
      if (choice.finish_reason === "length") throw new ProviderError("the answer was cut off at max_tokens", false, undefined, true);
      return [unwrap(choice.message.content)];
    },
  };
}

/** Workers AI through the AI binding: an instruction model that keeps HTML when asked to. */
export function workersAi(opts: { ai: AiBinding; model: string; timeoutMs: number; unitChars: number }): Provider {
  return {
    id: "workers-ai",
    model: opts.model,
    batch: { units: 1, chars: opts.unitChars },
    async translate([text], lang, signal) {
      let out: unknown;
      try {
        const run = opts.ai.run(opts.model, {
          messages: [
            { role: "system", content: systemPrompt(lang) },
            { role: "user", content: text },
          ],
          // The models' default (256 tokens) would cut most units off.
          max_tokens: maxTokens(text!),
          temperature: 0,
        });
        out = await abortable(run, AbortSignal.any([signal, AbortSignal.timeout(opts.timeoutMs)]));
      } catch (e) {
        const err = e as Error;
        throw new ProviderError(`Workers AI (${opts.model}): ${err.name === "TimeoutError" ? "timed out" : err.message}`, true);
      }
      const response = (out as { response?: unknown })?.response;
      if (typeof response !== "string") throw new ProviderError(`Workers AI (${opts.model}) gave no text`, false, undefined, true);
      return [unwrap(response)];
    },
  };
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    p.then(resolve, reject);
  });
}

/** DeepL's target codes: zh → ZH-HANS, zh-TW → ZH-HANT, en → EN-US, pt → PT-BR, others upper-cased. */
export function deeplTarget(lang: string): string {
  const l = lang.toLowerCase();
  if (l === "zh" || l === "zh-hans" || l === "zh-cn" || l === "zh-sg") return "ZH-HANS";
  if (l.startsWith("zh-")) return "ZH-HANT";
  if (l === "en") return "EN-US";
  if (l === "pt") return "PT-BR";
  return l.toUpperCase();
}

/**
 * DeepL with HTML tag handling. Free keys (ending in ":fx") use api-free.deepl.com, others
 * api.deepl.com, unless `apiUrl` says otherwise. Up to 50 texts per request.
 */
export function deepl(opts: { apiKey: string; apiUrl?: string; timeoutMs: number; unitChars: number }): Provider {
  const url = opts.apiUrl ?? (opts.apiKey.endsWith(":fx") ? "https://api-free.deepl.com/v2/translate" : "https://api.deepl.com/v2/translate");
  return {
    id: "deepl",
    model: "deepl",
    batch: { units: 50, chars: Math.max(opts.unitChars, 30_000) },
    async translate(texts, lang, signal) {
      const body = await post(
        url,
        {
          headers: { "Content-Type": "application/json", Authorization: `DeepL-Auth-Key ${opts.apiKey}` },
          body: JSON.stringify({ text: texts, target_lang: deeplTarget(lang), tag_handling: "html", ignore_tags: ["code", "pre"] }),
          signal: AbortSignal.any([signal, AbortSignal.timeout(opts.timeoutMs)]),
        },
        "DeepL",
      );
      const out = (body as { translations?: { text?: unknown }[] }).translations;
      if (!Array.isArray(out) || out.length !== texts.length || out.some((t) => typeof t.text !== "string")) {
        throw new ProviderError(`DeepL answered ${out?.length ?? 0} translations for ${texts.length} texts`, false, undefined, true);
      }
      return out.map((t) => t.text as string);
    },
  };
}
