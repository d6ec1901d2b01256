/**
 * How often a prefilter literal occurs: the estimated fraction of log lines containing it (ASCII
 * case-insensitively), used to rank a rule's prefilter clauses. Estimates only steer which sound clauses
 * are kept; a wrong one costs speed, never a match.
 *
 * Estimate of a literal `lit` (folded):
 * 1. in the table: the measured fraction;
 * 2. else the smaller of the length prior (mean fraction of measured rule literals of that length: short
 *    literals are common) and of every table entry that is a substring of `lit` (a line holding `lit`
 *    holds each of its substrings, so their fractions bound it from above);
 * 3. never below a table entry that contains `lit` (a line holding the entry holds `lit`);
 * 4. `common` literals (channel names of the mapping: in every event of a source) and their substrings are
 *    taken to be in at least COMMON_FLOOR of the lines. Not more: a rare source's channel name is a good
 *    filter, and the table measures the frequent ones.
 */
import { LITERAL_FREQUENCY_TABLE } from './literal-frequency-table';

export interface LiteralFrequencyTable {
  /** Fraction of lines containing each literal (folded), for literals at or above a threshold. */
  readonly entries: Readonly<Record<string, number>>;
  /** `lengthPrior[n]`: the estimate for an unmeasured literal of length n; the last entry serves longer ones. */
  readonly lengthPrior: readonly number[];
}

/** Estimated fraction of lines containing a literal, between 0 and 1. */
export type FrequencyEstimate = (literal: string) => number;

/** The least estimate of a `common` literal: a source the mapping names is assumed a sizeable share of the lines. */
export const COMMON_FLOOR = 0.1;

/** The estimate for literals not in the table and longer than the prior covers, when the prior is empty. */
const FALLBACK_PRIOR = 0.01;

export function literalFrequencyModel(
  common: ReadonlySet<string> = new Set(),
  table: LiteralFrequencyTable = LITERAL_FREQUENCY_TABLE,
): FrequencyEstimate {
  const { entries, within, longest, rarest } = indexOf(table);
  const memo = new Map<string, number>();
  const prior = (n: number) => table.lengthPrior[Math.min(n, table.lengthPrior.length - 1)] ?? FALLBACK_PRIOR;
  return (lit) => {
    let f = memo.get(lit);
    if (f !== undefined) return f;
    f = entries.get(lit);
    if (f === undefined) {
      let upper = prior(lit.length);
      // No entry is rarer than `rarest`: below it the substrings cannot lower the bound (long literals).
      for (let i = 0; upper > rarest && i < lit.length; i++) {
        for (let j = i + 1; j <= lit.length && j - i <= longest; j++) {
          const fe = j - i < lit.length ? entries.get(lit.slice(i, j)) : undefined;
          if (fe !== undefined && fe < upper) upper = fe;
        }
      }
      f = Math.max(within(lit), upper);
    }
    for (const c of common) if (f < COMMON_FLOOR && c.includes(lit)) f = COMMON_FLOOR;
    memo.set(lit, f);
    return f;
  };
}

interface TableIndex {
  readonly entries: ReadonlyMap<string, number>;
  /** The largest fraction of the entries that contain `lit` as a proper substring (0 when none does). */
  within(lit: string): number;
  readonly longest: number;
  readonly rarest: number;
}

/** Length of the keys of the index of entries by substring: a literal that long or longer is looked up by its head. */
const HEAD = 3;
/**
 * Literals looked up by scanning every entry before the index by substring is built: the index costs a
 * few milliseconds, which a rule or two (a dozen literals) never earn back; a rule set of thousands does.
 */
const SCANS_BEFORE_INDEX = 64;

const indexes = new WeakMap<LiteralFrequencyTable, TableIndex>();

/**
 * The table's index, built once per table. `within` first scans every entry; after SCANS_BEFORE_INDEX
 * literals it builds an index of the entries by each substring of length HEAD they contain, and then
 * checks only the entries sharing a literal's head (listing every substring of every entry instead cost
 * ~13 ms per process).
 */
function indexOf(table: LiteralFrequencyTable): TableIndex {
  let index = indexes.get(table);
  if (index) return index;
  const entries = new Map(Object.entries(table.entries));
  const all = [...entries.keys()];
  let byHead: Map<string, string[]> | undefined;
  let scans = 0;
  const buildByHead = (): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    for (const e of all) {
      const heads = new Set<string>();
      for (let i = 0; i + HEAD <= e.length; i++) heads.add(e.slice(i, i + HEAD));
      for (const h of heads) {
        const list = map.get(h);
        if (list) list.push(e);
        else map.set(h, [e]);
      }
    }
    return map;
  };
  const within = (lit: string): number => {
    if (byHead === undefined && lit.length >= HEAD && ++scans > SCANS_BEFORE_INDEX) byHead = buildByHead();
    let best = 0;
    for (const e of byHead !== undefined && lit.length >= HEAD ? (byHead.get(lit.slice(0, HEAD)) ?? []) : all) {
      if (e.length > lit.length && e.includes(lit)) best = Math.max(best, entries.get(e)!);
    }
    return best;
  };
  index = { entries, within, longest: Math.max(0, ...all.map((e) => e.length)), rarest: Math.min(...entries.values()) };
  indexes.set(table, index);
  return index;
}

/** Estimated fraction of lines holding at least one literal of a clause: the sum, capped at 1. */
export function clauseFrequency(clause: readonly string[], estimate: FrequencyEstimate): number {
  let sum = 0;
  for (const lit of clause) sum += estimate(lit);
  return Math.min(1, sum);
}
