/**
 * The translate stage: feed items in, the same items in another language out, structure intact.
 *
 * Items are planned into units (plan.ts). Each unit's translation is stored under a hash of
 * (provider, model, prompt version, language, unit), in one record per issue and language, so a
 * unit is sent once, whichever feed, format or view asks for it, and an issue that changes upstream
 * re-sends only its changed units. Units are sent in batches, a few at a time, with retries and
 * backoff on 429/5xx; an answer that breaks structure is retried once, then the unit keeps its
 * original text (send.ts). A daily character budget caps what is sent. Whatever is not translated
 * in time stays in the original language — a whole item, or the parts of one that are not ready
 * yet — and the item says so (category "untranslated"), never passed off as translated; the work
 * goes on in the background and the next request or refresh finds it done.
 */
import { itemTitle } from "../filter/index.js";
import type { FeedItem, ItemOrigin } from "../model.js";
import { hash53 } from "../lib/hash.js";
import { INTERLEAVED_BLOCKS } from "../lib/tags.js";
import { escapeHtml, htmlToText } from "../lib/text.js";
import { topLevel } from "./check.js";
import { compact, type Piece, planItem, restore, UNIT_CHARS } from "./plan.js";
import { PROMPT_VERSION } from "./providers.js";
import { type Missing, send } from "./send.js";
import type { IssuePlan, IssueWork, TranslateOptions, TranslateResult, TranslateStats, TranslationRecord, Unit } from "./types.js";

export * from "./providers.js";
export type { CharBudget, TranslateOptions, TranslateResult, TranslateStats, TranslationRecord, TranslationStore } from "./types.js";
export { UNIT_CHARS } from "./plan.js";

/** Category given to items served wholly or partly in the original language. */
export const UNTRANSLATED = "untranslated";
/** Answers that broke structure are tried again after this long. */
const RETRY_FAILED_MS = 86_400_000;

/**
 * A translated item's id: the original's, marked with the language, and with the display when it
 * is bilingual (other content, so another id); stable across refreshes.
 */
export function translatedId(id: string, lang: string, bilingual = false): string {
  const tag = bilingual ? `${lang}:bilingual` : lang;
  return id.startsWith("urn:feedslice:") ? `${id}:${tag}` : `urn:feedslice:${hash53(id)}:${tag}`;
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

/** An item with its plan: the issue's work and the item's pieces (none for an item of no stored issue). */
interface Planned {
  item: FeedItem;
  work?: IssueWork;
  pieces?: Piece[];
}

export async function translateItems(items: FeedItem[], opts: TranslateOptions): Promise<TranslateResult> {
  const fingerprint = `${opts.provider.id}\n${opts.provider.model}\n${PROMPT_VERSION}\n${opts.lang}\n`;
  const unitChars = opts.unitChars ?? UNIT_CHARS;
  const keyOf = (text: string) => hash53(fingerprint + text);
  const now = opts.now ?? new Date();
  const issues = new Map<string, IssueWork>();
  const planned = items.map((item) => planOf(item, issues, { fingerprint, unitChars, keyOf }));
  await Promise.all(
    [...issues.entries()].map(async ([id, work]) => {
      const stored = await opts.store.load(id);
      if (stored) work.record = { units: stored.units ?? {}, failed: stored.failed };
    }),
  );

  const stats: TranslateStats = { requests: 0, chars: 0, units: 0, failedUnits: 0, budgetExhausted: false, errors: [] };
  /** Store what has arrived so far: the records of the issues that got new units, and the budget. */
  const save = async () => {
    const changed = [...issues.entries()].filter(([, w]) => w.changed);
    for (const [, w] of changed) w.changed = false;
    await Promise.all(changed.map(([id, w]) => opts.store.save(id, prune(w, keyOf, unitChars))));
    await opts.budget.commit();
  };
  let finished = false;
  const sent = send(missingUnits(issues.values(), now), opts, stats, now).then(() => void (finished = true));
  await waitUpTo(sent, opts.waitMs);
  // Past the wait, what has arrived is stored at once (the rest may outlive the request's
  // background time), and again when the rest has arrived.
  const checkpoint = finished ? Promise.resolve() : save();
  const done = Promise.all([checkpoint, sent]).then(save);

  // Assemble with what is ready now.
  const out = planned.map((p) => translatedItem(p, opts));
  return { items: out.map((t) => t.item), untranslated: out.filter((t) => !t.complete).length, stats, done };
}

/** An item planned into pieces, its issue's work found or begun in `issues`, the units it needs noted there. */
function planOf(item: FeedItem, issues: Map<string, IssueWork>, ctx: { fingerprint: string; unitChars: number; keyOf: (text: string) => string }): Planned {
  const o = item.origin;
  if (!o) return { item };
  let work = issues.get(o.issueId);
  if (!work) {
    const plan = issuePlan(`${o.issueKey}\n${ctx.unitChars}\n${ctx.fingerprint}`, () => ({ plans: new Map(), units: new Map(), titles: titleUnits(o, ctx.keyOf, ctx.unitChars) }));
    work = { ...plan, origin: o, record: { units: {} }, changed: false, needed: new Set() };
    issues.set(o.issueId, work);
  }
  const pieces = planItem(o.html, o.split, o.start, o.end, ctx.unitChars, work.plans);
  for (const p of pieces) {
    if (!p.unit) continue;
    let unit = work.units.get(p.start);
    if (!unit) work.units.set(p.start, (unit = unitOf(o.html.slice(p.start, p.end), ctx.keyOf)));
    work.needed.add(unit);
  }
  // A whole issue brings all its titles, so that every view of it is ready; a section or topic its own.
  const whole = o.start === 0 && o.end === o.html.length;
  for (const title of whole ? work.titles.keys() : [o.issueTitle, ...o.labels]) {
    const t = work.titles.get(title);
    if (t) work.needed.add(t.unit);
  }
  return { item, work, pieces };
}

/** The units the issues need that their records lack (not those that failed less than a day ago), once per key. */
function missingUnits(works: Iterable<IssueWork>, now: Date): Missing[] {
  const missing = new Map<string, Missing>();
  for (const work of works) {
    for (const unit of work.needed) {
      if (work.record.units[unit.key] !== undefined) continue;
      const failedAt = work.record.failed?.[unit.key];
      if (failedAt && now.getTime() - Date.parse(failedAt) < RETRY_FAILED_MS) continue;
      const m = missing.get(unit.key);
      if (!m) missing.set(unit.key, { unit, works: [work] });
      else if (!m.works.includes(work)) m.works.push(work);
    }
  }
  return [...missing.values()];
}

/** Wait for `p`, or `ms` at most (Infinity: for `p`). */
async function waitUpTo(p: Promise<unknown>, ms: number): Promise<void> {
  if (!Number.isFinite(ms)) return void (await p);
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p, new Promise((r) => (timer = setTimeout(r, ms)))]);
  if (timer !== undefined) clearTimeout(timer);
}

/** The item in the language, with what its record holds now; marked UNTRANSLATED (not `complete`) where anything is missing. */
function translatedItem({ item, work, pieces }: Planned, opts: TranslateOptions): { item: FeedItem; complete: boolean } {
  const id = translatedId(item.id, opts.lang, !!opts.bilingual);
  // Nothing to plan it by (not an item of a stored issue): served as it is, and said to be.
  if (!work || !pieces) return { item: { ...item, id, categories: [...item.categories, UNTRANSLATED] }, complete: false };
  const { html: body, rest } = assemble(work, pieces, !!opts.bilingual);
  const wrap = item.origin?.wrap;
  const html = wrap ? wrap[0] + body + wrap[1] : body;
  const title = translatedTitle(work, item);
  const whole = rest === 0 && title !== undefined;
  const { origin: _origin, ...plain } = item;
  return { item: { ...plain, id, title: title ?? item.title, html, categories: whole ? item.categories : [...item.categories, UNTRANSLATED] }, complete: whole };
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

const BLOCKS = new Set(INTERLEAVED_BLOCKS.split(" "));

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

