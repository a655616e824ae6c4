import { hash53 } from "../lib/hash.js";
import { KEYS } from "./kv.js";
import type { CharBudget, TranslationRecord, TranslationStore } from "../translate/index.js";

/**
 * Translations in Workers KV:
 *   tr:<feed>:<lang>:<issue>         one issue's translated units into one language (TranslationRecord
 *                                    JSON: unit hash → translation), written when units were added
 *   budget:<provider>:<YYYY-MM-DD>   characters sent to a provider that day (UTC)
 * One record per issue rather than one key per unit: an AINews issue is some 180 units, and the
 * free plan allows 1,000 KV writes a day.
 */
export class KvTranslationStore implements TranslationStore {
  constructor(
    private readonly kv: KVNamespace,
    private readonly feedId: string,
    private readonly lang: string,
  ) {}

  private key(issueId: string): string {
    return KEYS.translation(this.feedId, this.lang, hash53(issueId));
  }

  load(issueId: string): Promise<TranslationRecord | null> {
    return this.kv.get(this.key(issueId), "json");
  }

  save(issueId: string, record: TranslationRecord): Promise<void> {
    return this.kv.put(this.key(issueId), JSON.stringify(record));
  }
}

/**
 * A provider's daily character budget, kept in KV: read once when something is to be sent,
 * written once at the end of a run. Runs in parallel in several isolates may each spend up to
 * what was left when they read it (KV has no atomic increment): the cap holds within a run and
 * across runs, approximately across simultaneous ones.
 */
export class KvBudget implements CharBudget {
  private spent: number | undefined;
  private added = 0;
  private readonly key: string;

  constructor(
    private readonly kv: KVNamespace,
    provider: string,
    private readonly limit: number,
    now: Date,
  ) {
    this.key = KEYS.budget(provider, now.toISOString().slice(0, 10));
  }

  /** Characters sent today, as stored plus this run's. */
  async used(): Promise<number> {
    this.spent ??= Number(await this.kv.get(this.key, "text")) || 0;
    return this.spent + this.added;
  }

  async take(chars: number): Promise<boolean> {
    if ((await this.used()) + chars > this.limit) return false;
    this.added += chars;
    return true;
  }

  refund(chars: number): void {
    this.added = Math.max(0, this.added - chars);
  }

  async commit(): Promise<void> {
    if (!this.added) return;
    // Re-read just before writing, so that runs that ended meanwhile are counted too.
    const stored = Number(await this.kv.get(this.key, "text")) || 0;
    await this.kv.put(this.key, String(stored + this.added), { expirationTtl: 3 * 86_400 });
    this.spent = stored + this.added;
    this.added = 0;
  }
}
