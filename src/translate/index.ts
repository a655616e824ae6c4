/**
 * The translate stage: feed items in, the same items in another language out, structure intact.
 *
 * Items are planned into units (plan.ts). Each unit's translation is stored under a hash of
 * (provider, model, prompt version, language, unit), in one record per issue and language, so a
 * unit is sent once, whichever feed, format or view asks for it, and an issue that changes upstream
 * re-sends only its changed units. Units are sent in batches, a few at a time, with retries and
 * backoff on 429/5xx; an answer that breaks structure is retried once, then the unit keeps its
 * original text. A daily character budget caps what is sent. Whatever is not translated in time is
 * served in the original language and said to be (category "untranslated"), never passed off as
 * translated; the work goes on in the background and the next request or refresh finds it done.
 */
import { itemTitle } from "../filter/index.js";
import type { FeedItem, ItemOrigin } from "../model.js";
import { hash53 } from "../lib/hash.js";
import { escapeHtml, htmlToText } from "../lib/text.js";
import { checkTranslation, topLevel } from "./check.js";
import { compact, type Compact, type Piece, planItem, restore, UNIT_CHARS } from "./plan.js";
import { PROMPT_VERSION, type Provider, ProviderError } from "./providers.js";

export * from "./providers.js";
export { UNIT_CHARS } from "./plan.js";

/** One issue's translations into one language: unit key → compacted translation. */
export interface TranslationRecord {
  units: Record<string, string>;
  /** Units whose answers broke structure twice, with when: kept original, retried a day later. */
  failed?: Record<string, string>;
}

export interface TranslationStore {
  load(issueId: string): Promise<TranslationRecord | null>;
  save(issueId: string, record: TranslationRecord): Promise<void>;
}

/** A provider's daily character budget: `take` reserves, `refund` gives back, `commit` stores. */
export interface CharBudget {
  take(chars: number): Promise<boolean>;
  refund(chars: number): void;
  commit(): Promise<void>;
}

export interface TranslateOptions {
  provider: Provider;
  lang: string;
  bilingual?: boolean;
  store: TranslationStore;
  budget: CharBudget;
  /** How long to wait for the provider before answering with what is ready (the rest continues in
   * `done`); Infinity waits for everything. */
  waitMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  unitChars?: number;
  now?: Date;
  /** Backoff before retry n (0-based), in milliseconds. */
  backoffMs?: (attempt: number) => number;
}

export interface TranslateResult {
  items: FeedItem[];
  /** Items served (partly) in the original language. */
  untranslated: number;
  /** What was sent to the provider by the time the items were assembled (and by `done`). */
  stats: TranslateStats;
  /** Settles when every unit sent has an answer and the translations are stored. */
  done: Promise<void>;
}

export interface TranslateStats {
  requests: number;
  chars: number;
  units: number;
  failedUnits: number;
  budgetExhausted: boolean;
  errors: string[];
}

/** Category given to items served in the original language. */
export const UNTRANSLATED = "untranslated";
/** Answers that broke structure are tried again after this long. */
const RETRY_FAILED_MS = 86_400_000;
/** Retries of a request that failed with 429, 5xx or a network error. */
const RETRIES = 3;
/** A provider that fails this many requests in a row is left alone for the rest of the run. */
const OUTAGE = 3;
/** Longest Retry-After honoured; longer means the provider is out for now. */
const MAX_RETRY_AFTER_MS = 20_000;

/**
 * A translated item's id: the original's, marked with the language, and with the display when it
 * is bilingual (other content, so another id); stable across refreshes.
 */
export function translatedId(id: string, lang: string, bilingual = false): string {
  const tag = bilingual ? `${lang}:bilingual` : lang;
  return id.startsWith("urn:feedslice:") ? `${id}:${tag}` : `urn:feedslice:${hash53(id)}:${tag}`;
}

interface Unit extends Compact {
  key: string;
}

/** How an issue is planned and compacted: the same for every request, so kept per isolate. */
interface IssuePlan {
  plans: Map<string, Piece[]>;
  /** Units by start offset. */
  units: Map<number, Unit>;
  titles: Map<string, { unit: Unit; id: number }>;
}

/** An issue's work: its plan, its record, whether the record got new units. */
interface IssueWork extends IssuePlan {
  origin: ItemOrigin;
  record: TranslationRecord;
  changed: boolean;
  /** The units the items ask for (content and titles). */
  needed: Set<Unit>;
}

/**
 * Plans of recently served issues, by version of the issue and fingerprint (a popular translated
 * feed is planned once per isolate, not per request). Small: a plan is about the issue's size.
 */
const PLANS = new Map<string, IssuePlan>();
const PLANS_KEPT = 12;

function issuePlan(key: string, make: () => IssuePlan): IssuePlan {
  let plan = PLANS.get(key);
  if (plan) PLANS.delete(key);
  else plan = make();
  PLANS.set(key, plan); // most recent last
  if (PLANS.size > PLANS_KEPT) PLANS.delete(PLANS.keys().next().value!);
  return plan;
}

export async function translateItems(items: FeedItem[], opts: TranslateOptions): Promise<TranslateResult> {
  const fingerprint = `${opts.provider.id}\n${opts.provider.model}\n${PROMPT_VERSION}\n${opts.lang}\n`;
  const unitChars = opts.unitChars ?? UNIT_CHARS;
  const keyOf = (text: string) => hash53(fingerprint + text);
  const now = opts.now ?? new Date();

  // Group by issue, plan each item, read each issue's record once.
  const issues = new Map<string, IssueWork>();
  const planned = items.map((item) => {
    const o = item.origin;
    if (!o) return { item };
    let work = issues.get(o.issueId);
    if (!work) {
      const plan = issuePlan(`${o.issueKey}\n${unitChars}\n${fingerprint}`, () => ({ plans: new Map(), units: new Map(), titles: titleUnits(o, keyOf, unitChars) }));
      work = { ...plan, origin: o, record: { units: {} }, changed: false, needed: new Set() };
      issues.set(o.issueId, work);
    }
    const pieces = planItem(o.html, o.split, o.start, o.end, unitChars, work.plans);
    for (const p of pieces) {
      if (!p.unit) continue;
      let unit = work.units.get(p.start);
      if (!unit) work.units.set(p.start, (unit = unitOf(o.html.slice(p.start, p.end), keyOf)));
      work.needed.add(unit);
    }
    // A whole issue brings all its titles, so that every view of it is ready; a section or topic its own.
    const whole = o.start === 0 && o.end === o.html.length;
    for (const title of whole ? work.titles.keys() : [o.issueTitle, ...o.labels]) {
      const t = work.titles.get(title);
      if (t) work.needed.add(t.unit);
    }
    return { item, work, pieces };
  });
  await Promise.all(
    [...issues.entries()].map(async ([id, work]) => {
      const stored = await opts.store.load(id);
      if (stored) work.record = { units: stored.units ?? {}, failed: stored.failed };
    }),
  );

  // What is missing, once per key.
  const missing = new Map<string, { unit: Unit; works: IssueWork[] }>();
  const want = (unit: Unit, work: IssueWork) => {
    if (work.record.units[unit.key] !== undefined) return;
    const failedAt = work.record.failed?.[unit.key];
    if (failedAt && now.getTime() - Date.parse(failedAt) < RETRY_FAILED_MS) return;
    const m = missing.get(unit.key);
    if (!m) missing.set(unit.key, { unit, works: [work] });
    else if (!m.works.includes(work)) m.works.push(work);
  };
  for (const work of issues.values()) {
    for (const unit of work.needed) want(unit, work);
  }

  const stats: TranslateStats = { requests: 0, chars: 0, units: 0, failedUnits: 0, budgetExhausted: false, errors: [] };
  /** Store what has arrived so far: the records of the issues that got new units, and the budget. */
  const save = async () => {
    const changed = [...issues.entries()].filter(([, w]) => w.changed);
    for (const [, w] of changed) w.changed = false;
    await Promise.all(changed.map(([id, w]) => opts.store.save(id, prune(w, keyOf, unitChars))));
    await opts.budget.commit();
  };
  let finished = false;
  const sent = send([...missing.values()], opts, stats, now).then(() => void (finished = true));
  if (Number.isFinite(opts.waitMs)) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([sent, new Promise((r) => (timer = setTimeout(r, opts.waitMs)))]);
    if (timer !== undefined) clearTimeout(timer);
  } else await sent;
  // Past the wait, what has arrived is stored at once (the rest may outlive the request's
  // background time), and again when the rest has arrived.
  const checkpoint = finished ? Promise.resolve() : save();
  const done = Promise.all([checkpoint, sent]).then(save);

  // Assemble with what is ready now.
  let untranslated = 0;
  const out = planned.map(({ item, work, pieces }) => {
    if (!work || !pieces) {
      // Nothing to plan it by (not an item of a stored issue): served as it is, and said to be.
      untranslated++;
      return { ...item, id: translatedId(item.id, opts.lang, !!opts.bilingual), categories: [...item.categories, UNTRANSLATED] };
    }
    const { html: body, rest } = assemble(work, pieces, !!opts.bilingual);
    const wrap = item.origin?.wrap;
    const html = wrap ? wrap[0] + body + wrap[1] : body;
    const title = translatedTitle(work, item);
    const whole = rest === 0 && title !== undefined;
    if (!whole) untranslated++;
    const { origin: _origin, ...plain } = item;
    return {
      ...plain,
      id: translatedId(item.id, opts.lang, !!opts.bilingual),
      title: title ?? item.title,
      html,
      categories: whole ? item.categories : [...item.categories, UNTRANSLATED],
    };
  });
  return { items: out, untranslated, stats, done };
}

function unitOf(src: string, keyOf: (text: string) => string): Unit {
  const c = compact(src);
  return { ...c, key: keyOf(c.text) };
}

/**
 * An issue's titles as `<ol>` units of numbered items: the issue's title alone, then each
 * section's title with its topics' titles (a section feed sends its own titles only).
 */
function titleUnits(o: ItemOrigin, keyOf: (text: string) => string, max: number): Map<string, { unit: Unit; id: number }> {
  const out = new Map<string, { unit: Unit; id: number }>();
  const group = (titles: string[]) => {
    let batch: string[] = [];
    let size = 0;
    const flush = () => {
      if (!batch.length) return;
      const text = `<ol>${batch.map((t, k) => `<li i="${k}">${escapeHtml(t)}</li>`).join("")}</ol>`;
      const unit: Unit = { text, tags: [], key: keyOf(text) };
      batch.forEach((t, k) => out.set(t, { unit, id: k }));
      [batch, size] = [[], 0];
    };
    for (const t of new Set(titles)) {
      if (!/\p{L}/u.test(t) || out.has(t)) continue;
      if (size + t.length > max / 2) flush();
      batch.push(t);
      size += t.length + 12;
    }
    flush();
  };
  if (o.issueTitle) group([o.issueTitle]);
  for (const s of o.split.sections) group([s.title, ...s.topics.map((t) => t.title)]);
  return out;
}

/** The translated title of a numbered item in a translated title unit. */
function titleFrom(translation: string, id: number): string | undefined {
  const m = new RegExp(`<li i="${id}">([\\s\\S]*?)</li>`).exec(translation);
  const text = m && htmlToText(m[1]!);
  return text || undefined;
}

function translatedTitle(work: IssueWork, item: FeedItem): string | undefined {
  const o = item.origin!;
  const t = (s: string): string | undefined => {
    if (!/\p{L}/u.test(s)) return s;
    const u = work.titles.get(s);
    const tr = u && work.record.units[u.unit.key];
    return tr === undefined ? undefined : titleFrom(tr, u!.id);
  };
  if (!o.labels.length) return o.issueTitle ? t(o.issueTitle) : item.title;
  const labels = o.labels.map(t);
  if (labels.some((l) => l === undefined)) return undefined;
  const issue = o.issueTitle ? t(o.issueTitle) : "";
  return issue === undefined ? undefined : itemTitle(labels as string[], issue);
}

/** An item's HTML from its pieces: translated units where ready; `rest` counts the units that are not. */
function assemble(work: IssueWork, pieces: Piece[], bilingual: boolean): { html: string; rest: number } {
  const { html: src } = work.origin;
  let html = "";
  let rest = 0;
  for (const p of pieces) {
    const original = src.slice(p.start, p.end);
    if (!p.unit) {
      html += original;
      continue;
    }
    const unit = work.units.get(p.start)!;
    const tr = work.record.units[unit.key];
    if (tr === undefined) {
      rest++;
      html += original;
    } else html += bilingual ? interleave(tr, unit) : restore(tr, unit.tags);
  }
  return { html, rest };
}

const BLOCKS = new Set(["p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "table", "figure", "dl", "section", "hr", "pre"]);

/** Bilingual: each block of the translation followed by its original (or the whole unit, then its original). */
function interleave(translation: string, unit: Unit): string {
  const a = topLevel(translation);
  const b = topLevel(unit.text);
  const blockwise = a.length === b.length && a.every((x, i) => x.name === b[i]!.name && BLOCKS.has(x.name));
  if (!blockwise) return restore(translation, unit.tags) + restore(unit.text, unit.tags);
  return a.map((x, i) => restore(translation.slice(x.start, x.end), unit.tags) + restore(unit.text.slice(b[i]!.start, b[i]!.end), unit.tags)).join("\n");
}

/** The record to store: only the units the issue has now (a changed issue sheds the old ones). */
function prune(work: IssueWork, keyOf: (text: string) => string, unitChars: number): TranslationRecord {
  const o = work.origin;
  const keys = new Set<string>();
  for (const p of planItem(o.html, o.split, 0, o.html.length, unitChars, work.plans)) {
    if (!p.unit) continue;
    let unit = work.units.get(p.start);
    if (!unit) work.units.set(p.start, (unit = unitOf(o.html.slice(p.start, p.end), keyOf)));
    keys.add(unit.key);
  }
  for (const { unit } of work.titles.values()) keys.add(unit.key);
  const pick = (m: Record<string, string> | undefined) => Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => keys.has(k)));
  const failed = pick(work.record.failed);
  return Object.keys(failed).length ? { units: pick(work.record.units), failed } : { units: pick(work.record.units) };
}

/**
 * Send the missing units: batched to the provider's limits, `concurrency` requests at a time,
 * within the budget; answers checked; results written into the issues' records as they come.
 */
async function send(
  missing: { unit: Unit; works: IssueWork[] }[],
  opts: TranslateOptions,
  stats: TranslateStats,
  now: Date,
): Promise<void> {
  const { provider } = opts;
  const batches: (typeof missing)[] = [];
  let batch: typeof missing = [];
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

  const controller = new AbortController();
  let failuresInRow = 0;
  const backoff = opts.backoffMs ?? ((n: number) => 250 * 2 ** n);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const call = async (texts: string[]): Promise<string[]> => {
    for (let attempt = 0; ; attempt++) {
      const chars = texts.reduce((n, t) => n + t.length, 0);
      stats.requests++;
      stats.chars += chars;
      try {
        return await provider.translate(texts, opts.lang, controller.signal);
      } catch (e) {
        const err = e instanceof ProviderError ? e : new ProviderError((e as Error).message, true);
        const wait = err.retryAfter !== undefined ? err.retryAfter * 1000 : backoff(attempt);
        if (!err.retry || attempt >= RETRIES || wait > MAX_RETRY_AFTER_MS || controller.signal.aborted) throw err;
        await sleep(wait);
      }
    }
  };

  const settle = (m: (typeof missing)[number], translation: string | undefined) => {
    for (const work of m.works) {
      if (translation !== undefined) {
        work.record.units[m.unit.key] = translation;
        if (work.record.failed) delete work.record.failed[m.unit.key];
      } else (work.record.failed ??= {})[m.unit.key] = now.toISOString();
      work.changed = true;
    }
    if (translation !== undefined) stats.units++;
    else stats.failedUnits++;
  };

  const run = async (b: typeof missing) => {
    const texts = b.map((m) => m.unit.text);
    const chars = texts.reduce((n, t) => n + t.length, 0);
    if (controller.signal.aborted) return;
    if (!(await opts.budget.take(chars))) {
      stats.budgetExhausted = true;
      return;
    }
    let answers: string[];
    try {
      answers = await call(texts);
      failuresInRow = 0;
    } catch (e) {
      const err = e as ProviderError;
      if (!err.answer) {
        // The provider is failing: this batch stays untranslated (tried again later), and after a
        // few such failures in a row the rest of the run is not sent.
        opts.budget.refund(chars);
        stats.errors.push(err.message);
        if (++failuresInRow >= OUTAGE) controller.abort(new ProviderError("provider failing", false));
        return;
      }
      answers = [];
    }
    // Check each answer; a bad one gets a second chance on its own, then the original stays.
    await Promise.all(
      b.map(async (m, i) => {
        let answer = answers[i];
        if (answer !== undefined && checkTranslation(m.unit.text, answer) === null) return settle(m, answer);
        try {
          if (!(await opts.budget.take(m.unit.text.length))) return void (stats.budgetExhausted = true);
          [answer] = await call([m.unit.text]);
          settle(m, answer !== undefined && checkTranslation(m.unit.text, answer) === null ? answer : undefined);
        } catch (e) {
          const err = e as ProviderError;
          if (err.answer) settle(m, undefined);
          else stats.errors.push(err.message);
        }
      }),
    );
  };

  let next = 0;
  const worker = async () => {
    while (next < batches.length && !controller.signal.aborted) await run(batches[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
}
