/**
 * Sending the units an issue's readers need and nobody has translated yet: in batches to the
 * provider's limits, a few requests at a time, within the daily budget, with retries and backoff
 * on 429/5xx; each answer checked, a bad one tried once more on its own; results written into the
 * issues' records as they come.
 */
import { checkTranslation } from "./check.js";
import { type Provider, ProviderError } from "./providers.js";
import type { IssueWork, TranslateOptions, TranslateStats, Unit } from "./types.js";

/** Retries of a request that failed with 429, 5xx or a network error. */
const RETRIES = 3;
/** A provider that fails this many requests in a row is left alone for the rest of the run. */
const OUTAGE = 3;
/** Longest Retry-After honoured; longer means the provider is out for now. */
const MAX_RETRY_AFTER_MS = 20_000;

/** A unit to send, and the issues whose records want it. */
export interface Missing {
  unit: Unit;
  works: IssueWork[];
}

/** Send every missing unit; settles when each has an answer, a failure, or was not sent (budget, outage). */
export async function send(missing: Missing[], opts: TranslateOptions, stats: TranslateStats, now: Date): Promise<void> {
  const run = new Run(opts, stats, now);
  const batches = batchesOf(missing, opts.provider);
  let next = 0;
  const worker = async () => {
    while (next < batches.length && !run.stopped) await run.batch(batches[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
}

/** The units in batches of at most the provider's units and characters a request. */
function batchesOf(missing: Missing[], provider: Provider): Missing[][] {
  const batches: Missing[][] = [];
  let batch: Missing[] = [];
  let size = 0;
  for (const m of missing) {
    if (batch.length && (batch.length >= provider.batch.units || size + m.unit.text.length > provider.batch.chars)) {
      batches.push(batch);
      [batch, size] = [[], 0];
    }
    batch.push(m);
    size += m.unit.text.length;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/** One run of sends: what they share (the abort on an outage, the count of failures in a row). */
class Run {
  readonly #controller = new AbortController();
  #failuresInRow = 0;

  constructor(
    private readonly opts: TranslateOptions,
    private readonly stats: TranslateStats,
    private readonly now: Date,
  ) {}

  get stopped(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Send one batch (its characters taken from the budget first); then check each answer. */
  async batch(b: Missing[]): Promise<void> {
    const texts = b.map((m) => m.unit.text);
    const chars = texts.reduce((n, t) => n + t.length, 0);
    if (this.stopped) return;
    if (!(await this.opts.budget.take(chars))) {
      this.stats.budgetExhausted = true;
      return;
    }
    let answers: string[];
    try {
      answers = await this.#call(texts);
      this.#failuresInRow = 0;
    } catch (e) {
      const err = e as ProviderError;
      if (!err.answer) {
        // The provider is failing: this batch stays untranslated (tried again later), and after a
        // few such failures in a row the rest of the run is not sent.
        this.opts.budget.refund(chars);
        this.stats.errors.push(err.message);
        if (++this.#failuresInRow >= OUTAGE) this.#controller.abort(new ProviderError("provider failing", false));
        return;
      }
      answers = [];
    }
    await Promise.all(b.map((m, i) => this.#check(m, answers[i])));
  }

  /** Keep a good answer; a bad one (or none) gets a second chance on its own, then the original stays. */
  async #check(m: Missing, answer: string | undefined): Promise<void> {
    if (answer !== undefined && checkTranslation(m.unit.text, answer) === null) return this.#settle(m, answer);
    try {
      if (!(await this.opts.budget.take(m.unit.text.length))) return void (this.stats.budgetExhausted = true);
      const [again] = await this.#call([m.unit.text]);
      this.#settle(m, again !== undefined && checkTranslation(m.unit.text, again) === null ? again : undefined);
    } catch (e) {
      const err = e as ProviderError;
      if (err.answer) this.#settle(m, undefined);
      else this.stats.errors.push(err.message);
    }
  }

  /** One request, retried on 429, 5xx and network errors (after Retry-After or the backoff). */
  async #call(texts: string[]): Promise<string[]> {
    const backoff = this.opts.backoffMs ?? ((n: number) => 250 * 2 ** n);
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++;
      this.stats.chars += texts.reduce((n, t) => n + t.length, 0);
      try {
        return await this.opts.provider.translate(texts, this.opts.lang, this.#controller.signal);
      } catch (e) {
        const err = e instanceof ProviderError ? e : new ProviderError((e as Error).message, true);
        const wait = err.retryAfter !== undefined ? err.retryAfter * 1000 : backoff(attempt);
        if (!err.retry || attempt >= RETRIES || wait > MAX_RETRY_AFTER_MS || this.stopped) throw err;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** A unit's translation (or its failure, with when) into the records of the issues that want it. */
  #settle(m: Missing, translation: string | undefined): void {
    for (const work of m.works) {
      if (translation !== undefined) {
        work.record.units[m.unit.key] = translation;
        if (work.record.failed) delete work.record.failed[m.unit.key];
      } else (work.record.failed ??= {})[m.unit.key] = this.now.toISOString();
      work.changed = true;
    }
    if (translation !== undefined) this.stats.units++;
    else this.stats.failedUnits++;
  }
}
