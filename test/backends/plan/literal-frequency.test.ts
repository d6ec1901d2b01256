/**
 * The literal frequency model: measured fractions from the table, a length prior for the rest bounded by the
 * table entries a literal contains or is contained in, channel names floored; and the committed table's shape.
 */
import test from 'ava';
import { clauseFrequency, COMMON_FLOOR, literalFrequencyModel, type LiteralFrequencyTable } from '../../../src/backends/plan/literal-frequency';
import { LITERAL_FREQUENCY_TABLE } from '../../../src/backends/plan/literal-frequency-table';
import { MAX_PREFILTER_LITERAL, MIN_PREFILTER_LITERAL, safeLiteral } from '../../../src/backends/plan/prefilter-literals';

const table: LiteralFrequencyTable = {
  entries: { microsoft: 0.9, vault: 0.005, 'microsoft-window': 0.8, exe: 0.5 },
  lengthPrior: [0.2, 0.2, 0.2, 0.2, 0.1, 0.05, 0.01],
};

test('a measured literal gets its fraction', (t) => {
  const est = literalFrequencyModel(new Set(), table);
  t.is(est('microsoft'), 0.9);
  t.is(est('vault'), 0.005);
});

test('an unmeasured literal gets the length prior; the last prior entry covers longer literals', (t) => {
  const est = literalFrequencyModel(new Set(), table);
  t.is(est('abcd'), 0.1);
  t.is(est('abcde'), 0.05);
  t.is(est('abcdefghijkl'), 0.01);
});

test('an unmeasured literal is no more frequent than a measured substring of it', (t) => {
  const est = literalFrequencyModel(new Set(), table);
  t.is(est('xvault'), 0.005, 'below the prior of length 6');
  t.is(est('abc.exe'), 0.01, 'the prior is lower than exe');
});

test('an unmeasured literal is no less frequent than a measured literal containing it', (t) => {
  const est = literalFrequencyModel(new Set(), table);
  t.is(est('soft'), 0.9);
  t.is(est('-window'), 0.8);
  t.is(est('icrosoft-w'), 0.8);
});

test('channel names and their substrings count as at least COMMON_FLOOR, measured ones as measured', (t) => {
  const est = literalFrequencyModel(new Set(['security', 'microsoft-windows-sysmon']), table);
  t.is(est('security'), COMMON_FLOOR);
  t.is(est('t-windows-sysmon'), COMMON_FLOOR);
  t.is(est('microsoft-window'), 0.8);
  t.is(est('unrelated'), 0.01);
});

test('clauseFrequency: the sum of the literals, capped at 1', (t) => {
  const est = literalFrequencyModel(new Set(), table);
  t.is(clauseFrequency(['vault'], est), 0.005);
  t.is(clauseFrequency(['vault', 'abcdefghijkl'], est), 0.015);
  t.is(clauseFrequency(['microsoft', 'exe'], est), 1);
  t.is(clauseFrequency([], est), 0);
});

test('the committed table: folded safe literals of prefilter length, fractions in (0, 1], a non-increasing prior', (t) => {
  const entries = Object.entries(LITERAL_FREQUENCY_TABLE.entries);
  t.true(entries.length > 100);
  for (const [lit, f] of entries) {
    t.is(safeLiteral(lit), lit, lit);
    t.true(lit.length >= MIN_PREFILTER_LITERAL && lit.length <= MAX_PREFILTER_LITERAL, lit);
    t.true(f > 0 && f <= 1, lit);
  }
  const prior = LITERAL_FREQUENCY_TABLE.lengthPrior;
  t.true(prior.length > MIN_PREFILTER_LITERAL);
  prior.forEach((p, i) => t.true(p > 0 && p <= 1 && (i === 0 || p <= prior[i - 1]!), `prior[${i}]`));
});

test('the committed table knows Windows logs: "microsoft" is common, "credentials" and "vault" are not', (t) => {
  const est = literalFrequencyModel();
  t.true(est('microsoft') > 0.5);
  t.true(est('credentials') < 0.05);
  t.true(est('vault') < 0.05);
});
