/**
 * Prefilter literals: each must occur (ASCII case-insensitively) in the raw line of every event the rule
 * matches, whatever JSON writer produced the line. Checked on hand-built trees and by a property test
 * against the reference evaluator, with lines written by several writers' escaping conventions.
 */
import test from 'ava';
import { seeded } from '../../support/random';
import { MAX_CLAUSES, MAX_PREFILTER_LITERAL, MIN_PREFILTER_LITERAL, requiredAbsentKeys, requiredLiterals, safeLiteral } from '../../../src/backends/plan/prefilter-literals';
import { evaluate } from '../../../src/reference/evaluate';
import type { IrNode, Pattern, ValueTest } from '../../../src/ir/types';

const STAR = { wildcard: '*' } as const;
const leaf = (field: string | null, test: ValueTest): IrNode => ({ kind: 'test', field, test, offset: 0 });
const str = (field: string | null, pattern: Pattern, cased = false) => leaf(field, { kind: 'string', pattern, cased });
const and = (...args: IrNode[]): IrNode => ({ kind: 'and', args });
const or = (...args: IrNode[]): IrNode => ({ kind: 'or', args });
const not = (arg: IrNode): IrNode => ({ kind: 'not', arg });
const sets = (cnf: readonly (readonly string[])[]) => cnf.map((c) => [...c].sort());

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
  t.deepEqual(sets(requiredLiterals(tree)), [['powershell.exe'], ['frombase64'], [' -enc ']]);
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
  t.deepEqual(requiredLiterals(or(str('a', ['alpha']), str('b', ['xy'])), new Set()), []);
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

test('channel literals rank last', (t) => {
  const channel = str('Channel', ['Security']);
  const tree = and(channel, str('Image', [STAR, 'abc', STAR]));
  const clauses = sets(requiredLiterals(tree, new Set(['security'])));
  t.deepEqual(clauses, [['abc'], ['security']]);
  // Without the common set, the longer literal ranks first.
  t.deepEqual(sets(requiredLiterals(tree)), [['security'], ['abc']]);
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
    const cnf = requiredLiterals(tree);
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

test('long literals are cut to MAX_PREFILTER_LITERAL (a prefix of a required literal is required too)', (t) => {
  const long = 'failed password for invalid user';
  const clauses = sets(requiredLiterals(str('Message', [STAR, long, STAR])));
  t.deepEqual(clauses, [[long.slice(0, MAX_PREFILTER_LITERAL)]]);
  t.true(long.startsWith(clauses[0]![0]!));
});
