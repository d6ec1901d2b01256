/** `|expand` placeholders (spec §7): parsing `%name%`, resolution from the user's values, and the limits. */
import test from 'ava';
import { loadRuleText } from '../../src/rule/load-rules';
import { compileRule } from '../../src/ir/compile-rule';
import { MAX_PLACEHOLDER_VARIANTS, resolvePlaceholders, type PlaceholderProblem } from '../../src/ir/placeholders';
import { LineIndex } from '../../src/util/diagnostics';
import type { IrNode, Pattern } from '../../src/ir/types';

const HEAD = 'title: T\nlogsource: {product: windows}\ndetection:\n';
const STAR = { wildcard: '*' } as const;

function compile(detection: string, values: Record<string, string[]> = {}) {
  const text = HEAD + detection;
  const doc = loadRuleText('r.yml', text).documents[0];
  if (!doc || doc.kind !== 'rule') throw new Error('rule did not load');
  return compileRule(doc, new LineIndex('r.yml', text), { placeholders: new Map(Object.entries(values)) });
}

function patterns(node: IrNode | undefined): Pattern[] {
  if (!node) return [];
  if (node.kind === 'test') return node.test.kind === 'string' ? [node.test.pattern] : [];
  if (node.kind === 'or' || node.kind === 'and') return node.args.flatMap(patterns);
  return node.kind === 'not' ? patterns(node.arg) : [];
}

const where = (r: ReturnType<typeof compile>) => r.diagnostics.map((d) => `${d.code}@${d.position?.line}:${d.position?.column}`);

test('expand turns %name% into each value of the placeholder, OR-ed', (t) => {
  const r = compile("    sel:\n        User|expand: '%Admins%'\n    condition: sel\n", { Admins: ['root', 'admin'] });
  t.deepEqual(where(r), []);
  t.deepEqual(patterns(r.ir), [['root'], ['admin']]);
  t.is(r.ir?.kind, 'or');
});

test('placeholder values are Sigma strings: their wildcards are wildcards', (t) => {
  const r = compile("    sel:\n        User|expand: 'DOM/%Admins%'\n    condition: sel\n", { Admins: ['adm*'] });
  t.deepEqual(patterns(r.ir), [['DOM/adm', STAR]]);
});

test('text around the placeholder is kept, and two placeholders give every combination', (t) => {
  const r = compile("    sel:\n        Host|expand: '%A%-%B%.corp'\n    condition: sel\n", { A: ['x', 'y'], B: ['1', '2'] });
  t.deepEqual(patterns(r.ir), [['x-1.corp'], ['x-2.corp'], ['y-1.corp'], ['y-2.corp']]);
});

test('expand with contains keeps the wildcards around each variant', (t) => {
  const r = compile("    sel:\n        Host|expand|contains: '%A%'\n    condition: sel\n", { A: ['srv'] });
  t.deepEqual(patterns(r.ir), [[STAR, 'srv', STAR]]);
});

test('\\% is a literal percent sign under expand (mod-expand-mixed)', (t) => {
  const r = compile("    sel:\n        f|expand: '50\\% of %A%'\n    condition: sel\n", { A: ['x'] });
  t.deepEqual(where(r), []);
  t.deepEqual(patterns(r.ir), [['50% of x']]);
});

test('an unmatched % is literal', (t) => {
  const r = compile("    sel:\n        f|expand: '100%'\n    condition: sel\n");
  t.deepEqual(where(r), []);
  t.deepEqual(patterns(r.ir), [['100%']]);
});

test('an unknown placeholder is PLACEHOLDER_UNRESOLVED at the value; the rule has no IR', (t) => {
  const r = compile("    sel:\n        User|expand: '%Nobody%'\n    condition: sel\n", { Admins: ['root'] });
  t.deepEqual(where(r), ['PLACEHOLDER_UNRESOLVED@5:22']);
  t.is(r.ir, undefined);
  t.regex(r.diagnostics[0]!.message, /%Nobody%/);
});

test('a placeholder with an empty list of values is unresolved too', (t) => {
  const r = compile("    sel:\n        User|expand: '%A%'\n    condition: sel\n", { A: [] });
  t.deepEqual(where(r), ['PLACEHOLDER_UNRESOLVED@5:22']);
});

test('a placeholder under not is resolved inside the not', (t) => {
  const r = compile("    sel: {a: x}\n    f:\n        User|expand: '%A%'\n    condition: sel and not f\n", { A: ['u1', 'u2'] });
  t.deepEqual(where(r), []);
  t.deepEqual(patterns(r.ir), [['x'], ['u1'], ['u2']]);
  t.is(r.ir?.kind, 'and');
});

test(`more than MAX_PLACEHOLDER_VARIANTS (${MAX_PLACEHOLDER_VARIANTS}) variants is PLACEHOLDER_UNRESOLVED`, (t) => {
  const many = Array.from({ length: 65 }, (_, i) => `v${i}`);
  const r = compile("    sel:\n        f|expand: '%A%%B%'\n    condition: sel\n", { A: many, B: many }); // 65² = 4225
  t.deepEqual(where(r), ['PLACEHOLDER_UNRESOLVED@5:19']);
  t.regex(r.diagnostics[0]!.message, /too many/);
});

test('exactly MAX_PLACEHOLDER_VARIANTS variants is accepted', (t) => {
  const values = Array.from({ length: MAX_PLACEHOLDER_VARIANTS }, (_, i) => `v${i}`);
  const r = compile("    sel:\n        f|expand: '%A%'\n    condition: sel\n", { A: values });
  t.deepEqual(where(r), []);
  t.is(patterns(r.ir).length, MAX_PLACEHOLDER_VARIANTS);
});

test('resolvePlaceholders leaves trees without placeholders as they are and reports each problem once', (t) => {
  const plain: IrNode = { kind: 'test', field: 'f', test: { kind: 'string', pattern: ['x'], cased: false }, offset: 3 };
  const problems: PlaceholderProblem[] = [];
  t.is(resolvePlaceholders(plain, new Map(), problems), plain);
  const withPh: IrNode = { kind: 'test', field: 'f', test: { kind: 'string', pattern: [{ placeholder: 'P' }], cased: true }, offset: 9 };
  resolvePlaceholders({ kind: 'and', args: [plain, withPh] }, new Map(), problems);
  t.deepEqual(problems, [{ name: 'P', offset: 9, reason: 'unknown' }]);
});

test('resolvePlaceholders keeps the test cased flag and field', (t) => {
  const node: IrNode = { kind: 'test', field: 'f', test: { kind: 'string', pattern: ['a', { placeholder: 'P' }], cased: true }, offset: 1 };
  const problems: PlaceholderProblem[] = [];
  const out = resolvePlaceholders(node, new Map([['P', ['b']]]), problems);
  t.deepEqual(problems, []);
  t.deepEqual(out, { kind: 'test', field: 'f', test: { kind: 'string', pattern: ['ab'], cased: true }, offset: 1 });
});
