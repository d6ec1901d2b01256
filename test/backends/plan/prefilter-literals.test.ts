/**
 * Prefilter literals: each must occur (ASCII case-insensitively) in the raw line of every event the rule
 * matches, whatever JSON writer produced the line. Checked on hand-built trees and by a property test
 * against the reference evaluator, with lines written by several writers' escaping conventions.
 */
import test from 'ava';
import { seeded } from '../../support/random';
import {
  literalWindows,
  MAX_CLAUSES,
  MAX_PREFILTER_LITERAL,
  MIN_PREFILTER_LITERAL,
  prefilterCandidates,
  requiredAbsentKeys,
  requiredLiterals,
  safeLiteral,
} from '../../../src/backends/plan/prefilter-literals';
import { literalFrequencyModel, type FrequencyEstimate } from '../../../src/backends/plan/literal-frequency';
import { evaluate } from '../../../src/reference/evaluate';
import type { IrNode, Pattern, ValueTest } from '../../../src/ir/types';

const STAR = { wildcard: '*' } as const;
const leaf = (field: string | null, test: ValueTest): IrNode => ({ kind: 'test', field, test, offset: 0 });
const str = (field: string | null, pattern: Pattern, cased = false) => leaf(field, { kind: 'string', pattern, cased });
const and = (...args: IrNode[]): IrNode => ({ kind: 'and', args });
const or = (...args: IrNode[]): IrNode => ({ kind: 'or', args });
const not = (arg: IrNode): IrNode => ({ kind: 'not', arg });
const sets = (cnf: readonly (readonly string[])[]) => cnf.map((c) => [...c].sort());
/** An estimate that only knows lengths (longer is rarer), so the structural tests do not depend on the table. */
const byLength: FrequencyEstimate = (lit) => 2 ** -lit.length;
/** An estimate from a hand-made table (and the default length prior shape). */
const model = (entries: Record<string, number>, common: readonly string[] = []) =>
  literalFrequencyModel(new Set(common), { entries, lengthPrior: [0.1, 0.1, 0.1, 0.1, 0.05, 0.02, 0.01, 0.005] });

test('safeLiteral: the longest safe run, lowercased; too short gives undefined', (t) => {
  t.is(safeLiteral('PowerShell.EXE'), 'powershell.exe');
  t.is(safeLiteral('C:\\Windows\\System32\\cmd.exe'), 'system32');
  t.is(safeLiteral('a/bcd/ef'), 'bcd');
  t.is(safeLiteral('say "hello" x'), 'hello');
  t.is(safeLiteral('ab'), undefined);
  t.is(safeLiteral('ab\\cd'), undefined);
  t.is(safeLiteral('café au lait'), ' au lait');
  t.is(MIN_PREFILTER_LITERAL, 3);
});

test('safeLiteral never returns \\, ", /, non-ASCII, control characters or upper case (random strings)', (t) => {
  const rand = seeded(99);
  const rnd = (n: number) => Math.floor(rand() * n);
  const alphabet = 'aB3 \\"/é😀\u0000\t\n-.:_{}<>&\'+`=ZzQ';
  const chars = [...alphabet];
  for (let i = 0; i < 2000; i++) {
    const s = Array.from({ length: rnd(20) }, () => chars[rnd(chars.length)]!).join('');
    const lit = safeLiteral(s);
    if (lit === undefined) continue;
    t.true(lit.length >= MIN_PREFILTER_LITERAL);
    t.false(/[\\"/]/.test(lit), JSON.stringify(lit));
    t.true(/^[\x20-\x7e]+$/.test(lit), JSON.stringify(lit));
    t.is(lit, lit.toLowerCase());
    t.true(s.toLowerCase().includes(lit));
  }
});

test('safeLiteral leaves out characters JSON writers escape as \\uXXXX (.NET: \' + ` < > &, Go: < > &)', (t) => {
  for (const c of ["'", '+', '`', '<', '>', '&']) {
    const lit = safeLiteral(`abc${c}def`);
    t.false(lit?.includes(c) ?? false, `${c}: ${lit}`);
  }
});

test('an AND requires each of its parts; every safe run of a pattern is a clause of its own', (t) => {
  const tree = and(str('Image', [STAR, '\\powershell.exe']), str('CommandLine', [STAR, ' -enc ', STAR, 'frombase64', STAR]));
  // Strongest (longest) first; the backslash is not part of any literal.
  t.deepEqual(sets(requiredLiterals(tree, byLength)), [['powershell.exe'], ['frombase64'], [' -enc ']]);
});

test('an OR distributes: one clause holding a literal of each branch', (t) => {
  t.deepEqual(sets(requiredLiterals(or(str('a', ['alpha']), str('b', ['bravo'])))), [['alpha', 'bravo']]);
});

test('an OR whose branches share a required literal keeps it as a clause of its own', (t) => {
  const x = str('x', ['common']);
  const tree = or(and(x, str('y', ['yankee'])), and(x, str('z', ['zulu'])));
  t.true(sets(requiredLiterals(tree)).some((c) => c.length === 1 && c[0] === 'common'));
});

test('an OR with a branch that requires nothing requires nothing', (t) => {
  t.deepEqual(requiredLiterals(or(str('a', ['alpha']), str('b', ['xy']))), []);
  t.deepEqual(requiredLiterals(or(str('a', ['alpha']), not(str('b', ['bravo'])))), []);
});

test('NOT contributes nothing', (t) => {
  t.deepEqual(requiredLiterals(not(str('a', ['alpha']))), []);
  t.deepEqual(sets(requiredLiterals(and(str('a', ['alpha']), not(str('b', ['bravo']))))), [['alpha']]);
});

test('constants: true requires nothing, false an unsatisfiable empty clause', (t) => {
  t.deepEqual(requiredLiterals({ kind: 'const', value: true }), []);
  t.deepEqual(requiredLiterals({ kind: 'const', value: false }), [[]]);
});

test('typed leaves: numbers by their text if long enough, booleans, regex literals; null/exists/cidr nothing', (t) => {
  t.deepEqual(sets(requiredLiterals(leaf('EventID', { kind: 'number', value: 4688 }))), [['4688']]);
  t.deepEqual(requiredLiterals(leaf('EventID', { kind: 'number', value: 1 })), []);
  t.deepEqual(sets(requiredLiterals(leaf('f', { kind: 'bool', value: false }))), [['false']]);
  t.deepEqual(sets(requiredLiterals(leaf('f', { kind: 'regex', source: 'mimikatz[0-9]+', flags: '' }))), [['mimikatz']]);
  for (const test of [{ kind: 'null' }, { kind: 'exists' }, { kind: 'compare', op: 'gt', value: 100000 }] as ValueTest[]) {
    t.deepEqual(requiredLiterals(leaf('f', test)), [], test.kind);
  }
});

test('keywords give their text as a literal', (t) => {
  t.deepEqual(sets(requiredLiterals(str(null, ['Mimikatz']))), [['mimikatz']]);
});

test('channel literals (common) rank after rarer literals, unless measured rarer', (t) => {
  const channel = str('Channel', ['Security']);
  const tree = and(channel, str('Image', [STAR, 'abcdefgh', STAR]));
  // Unmeasured: the channel name counts as at least COMMON_FLOOR, so it ranks after the longer literal.
  t.deepEqual(sets(requiredLiterals(tree, model({}, ['security']))), [['abcdefgh'], ['security']]);
  // Measured as rare, the channel name is the better filter.
  t.deepEqual(sets(requiredLiterals(tree, model({ abcdefgh: 0.5, security: 0.02 }, ['security']))), [['security'], ['abcdefgh']]);
});

test(`at most MAX_CLAUSES (${MAX_CLAUSES}) clauses are kept`, (t) => {
  const tree = and(...Array.from({ length: MAX_CLAUSES + 4 }, (_, i) => str(`f${i}`, [`literal${i}`])));
  t.is(requiredLiterals(tree).length, MAX_CLAUSES);
});

test('requiredAbsentKeys: not exists directly under the top-level AND only', (t) => {
  const notExists = (f: string) => not(leaf(f, { kind: 'exists' }));
  t.deepEqual(requiredAbsentKeys(and(str('a', ['x']), notExists('Channel'), notExists('Other'))), ['Channel', 'Other']);
  t.deepEqual(requiredAbsentKeys(notExists('Channel')), ['Channel']);
  t.deepEqual(requiredAbsentKeys(or(str('a', ['x']), notExists('Channel'))), []);
  t.deepEqual(requiredAbsentKeys(and(str('a', ['x']), not(and(leaf('Channel', { kind: 'exists' }), str('b', ['y']))))), []);
  t.deepEqual(requiredAbsentKeys(and(leaf('Channel', { kind: 'exists' }))), []);
  t.deepEqual(requiredAbsentKeys(and(not(str('Channel', ['x'])))), []);
});

// ---------------------------------------------------------------- soundness against the reference evaluator

/** JSON as .NET's System.Text.Json writes it by default: HTML-sensitive ASCII and all non-ASCII as \uXXXX (upper-case hex). */
function dotnetJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&'+`\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
/** Go's encoding/json: < > & as \u003c etc. */
function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/** Python's json.dumps (ensure_ascii): non-ASCII as \uXXXX, `": "` spacing. */
function pythonJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/":/g, '": ')
    .replace(/,"/g, ', "');
}
const WRITERS: Record<string, (v: unknown) => string> = { plain: JSON.stringify, dotnet: dotnetJson, go: goJson, python: pythonJson };

test('soundness: every matching event contains a literal of every clause, for every JSON writer', (t) => {
  const rand = seeded(2024);
  const rnd = (n: number) => Math.floor(rand() * n);
  const pieces = ["it's", '<script>', 'a&b', 'x+y', 'C:\\Win', 'dir/sub', 'say "hi"', 'café', 'Power', 'Shell', '`cmd`', 'abc'];
  const fields = ['A', 'B', 'C'];
  const value = () => Array.from({ length: 1 + rnd(2) }, () => pieces[rnd(pieces.length)]!).join(rnd(2) ? '' : ' ');
  const genLeaf = (): IrNode => {
    const field = rnd(5) === 0 ? null : fields[rnd(fields.length)]!;
    const p = pieces[rnd(pieces.length)]!;
    const shape = rnd(4);
    const pattern: Pattern = shape === 0 ? [p] : shape === 1 ? [STAR, p, STAR] : shape === 2 ? [p, STAR] : [STAR, p];
    return str(field, pattern, rnd(4) === 0);
  };
  const gen = (depth: number): IrNode => {
    const r = rnd(depth > 2 ? 2 : 5);
    if (r <= 1) return genLeaf();
    if (r === 2) return not(gen(depth + 1));
    const args = Array.from({ length: 1 + rnd(3) }, () => gen(depth + 1));
    return r === 3 ? and(...args) : or(...args);
  };
  let checked = 0;
  for (let i = 0; i < 300; i++) {
    const tree = gen(0);
    // Soundness must not depend on the estimate: the table's, by length, or arbitrary.
    const estimates: FrequencyEstimate[] = [literalFrequencyModel(), byLength, (lit) => (lit.charCodeAt(0) * 7919 + lit.length * 104729) % 1000 / 1000];
    const cnf = requiredLiterals(tree, estimates[i % estimates.length]);
    for (let k = 0; k < 30; k++) {
      const event: Record<string, string> = {};
      for (const f of fields) if (rnd(4)) event[f] = value();
      if (!evaluate(tree, { kind: 'json', event })) continue;
      for (const [name, write] of Object.entries(WRITERS)) {
        const line = write(event).toLowerCase();
        for (const clause of cnf) {
          if (!clause.some((lit) => line.includes(lit))) {
            t.fail(`${name} line ${line} misses clause ${JSON.stringify(clause)} of ${JSON.stringify(tree)}`);
            return;
          }
        }
      }
      checked++;
    }
  }
  t.true(checked > 100, `only ${checked} matching events were generated`);
});

test('long literals are cut to MAX_PREFILTER_LITERAL, at their rarest window (a substring of a required literal is required too)', (t) => {
  const long = 'failed password for invalid user';
  const first = sets(requiredLiterals(str('Message', [STAR, long, STAR]), model({})));
  t.deepEqual(first, [[long.slice(0, MAX_PREFILTER_LITERAL)]], 'all windows alike: the first');
  const lit = requiredLiterals(str('Message', [STAR, long, STAR]), model({ 'failed password ': 0.3 }))[0]![0]!;
  t.is(lit, 'password for inv', 'a window measured as common is avoided; the next starts at a word');
  t.true(long.includes(lit));
});

test('literalWindows: windows of MAX_PREFILTER_LITERAL characters starting at words, and the last one', (t) => {
  t.deepEqual(literalWindows('short'), ['short']);
  const lit = 'microsoft-windows-powershell';
  const windows = literalWindows(lit);
  t.deepEqual(windows, ['microsoft-window', 'windows-powershe', 'ndows-powershell']);
  for (const w of windows) {
    t.is(w.length, MAX_PREFILTER_LITERAL);
    t.true(lit.includes(w));
  }
});

test('prefilterCandidates: every safe run (long ones as their windows) and the words inside them', (t) => {
  const tree = and(str('Image', [STAR, '\\AppData\\Local\\Microsoft-Windows-PowerShell\\', STAR]), not(str('x', ['Not-Here'])), leaf('EventID', { kind: 'number', value: 4688 }));
  const got = [...prefilterCandidates(tree)].sort();
  for (const want of ['appdata', 'local', 'microsoft-window', 'windows-powershe', 'microsoft', 'windows', 'powershell', 'not-here', 'not', 'here', '4688']) {
    t.true(got.includes(want), want);
  }
  t.true(got.every((l) => l.length >= MIN_PREFILTER_LITERAL && l.length <= MAX_PREFILTER_LITERAL && safeLiteral(l) === l), JSON.stringify(got));
});

// ---------------------------------------------------------------- ranking by estimated frequency

/** The Sigma credential-manager rule's shape: FileName|contains one of four paths, all under Microsoft. */
const credentialManager = or(
  str('FileName', [STAR, '\\AppData\\Local\\Microsoft\\Credentials\\', STAR]),
  str('FileName', [STAR, '\\AppData\\Roaming\\Microsoft\\Credentials\\', STAR]),
  str('FileName', [STAR, '\\AppData\\Local\\Microsoft\\Vault\\', STAR]),
  str('FileName', [STAR, '\\ProgramData\\Microsoft\\Vault\\', STAR]),
);

test('a ubiquitous literal loses to a rare clause of several literals (credential-manager shape)', (t) => {
  const est = model({ microsoft: 0.94, local: 0.5, appdata: 0.06, roaming: 0.03, programdata: 0.04 });
  const clauses = sets(requiredLiterals(credentialManager, est));
  t.deepEqual(clauses[0], ['credentials', 'vault']);
  t.true(clauses.filter((c) => c.includes('microsoft')).length <= 1, JSON.stringify(clauses));
});

test('with the derived table, the credential-manager shape gets a first clause without "microsoft"', (t) => {
  const clauses = requiredLiterals(credentialManager);
  t.false(clauses[0]!.includes('microsoft'), JSON.stringify(clauses));
  t.true(clauses.some((c) => !c.includes('microsoft') && c.includes('credentials')), JSON.stringify(clauses));
});

test('a rare run beats a longer common one within a pattern', (t) => {
  const tree = str('TargetObject', [STAR, '\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\', STAR]);
  const est = model({ software: 0.3, microsoft: 0.94, windows: 1, currentversion: 0.2, run: 0.15 });
  t.deepEqual(sets(requiredLiterals(tree, est))[0], ['run']);
});

test('kept clauses are diverse: one sharing a literal with a kept clause ranks after those that share none', (t) => {
  const tree = and(or(str('a', ['aaa']), str('b', ['bbb'])), or(str('a', ['aaa']), str('c', ['ccc'])), str('d', ['ddd']));
  const est = model({ aaa: 0.01, bbb: 0.01, ccc: 0.02, ddd: 0.1 });
  t.deepEqual(sets(requiredLiterals(tree, est)), [['aaa', 'bbb'], ['ddd'], ['aaa', 'ccc']]);
});

test('clauses implied by another (supersets) are dropped', (t) => {
  const tree = and(str('a', ['aaa']), or(str('a', ['aaa']), str('b', ['bbb'])));
  t.deepEqual(sets(requiredLiterals(tree, byLength)), [['aaa']]);
});

test('an OR over many branches keeps each branch\'s rare literal, even when a common one is longer', (t) => {
  const branches = Array.from({ length: 40 }, (_, i) => str('f', [STAR, `\\Microsoft-Common\\rare${String(i).padStart(2, '0')}xyz\\`, STAR]));
  const est = model({ 'microsoft-common': 0.9, microsoft: 0.9, common: 0.9 });
  const first = sets(requiredLiterals(or(...branches), est))[0]!;
  t.is(first.length, 40);
  t.false(first.includes('microsoft-common'));
});

