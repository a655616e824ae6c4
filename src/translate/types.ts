/** The translate stage's shapes: what it is given, what it answers, and the work it keeps per issue. */
import type { FeedItem, ItemOrigin } from "../model.js";
import type { Compact, Piece } from "./plan.js";
import type { Provider } from "./providers.js";

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

export interface Unit extends Compact {
  key: string;
}

/** How an issue is planned and compacted: the same for every request, so kept per isolate. */
export interface IssuePlan {
  plans: Map<string, Piece[]>;
  /** Units by start offset. */
  units: Map<number, Unit>;
  titles: Map<string, { unit: Unit; id: number }>;
}

/** An issue's work: its plan, its record, whether the record got new units. */
export interface IssueWork extends IssuePlan {
  origin: ItemOrigin;
  record: TranslationRecord;
  changed: boolean;
  /** The units the items ask for (content and titles). */
  needed: Set<Unit>;
}
