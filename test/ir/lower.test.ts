/**
 * Lowering small rules (src/ir/lower.ts with the modifier registry of src/ir/modifiers.ts): every error class
 * gives its diagnostic code at the right line:column, and each modifier means what the Sigma spec §6 says.
 * Expected trees are written by hand from the spec.
 */
import test from 'ava';
import { loadRuleText } from '../../src/rule/load-rules';
import { lowerDetection } from '../../src/ir/lower';
import { compileRule } from '../../src/ir/compile-rule';
import { LineIndex } from '../../src/util/diagnostics';
import type { IrNode, Pattern, ValueTest } from '../../src/ir/types';
import type { SigmaRule } from '../../src/rule/types';

const HEAD = 'title: T\nlogsource: {product: windows}\ndetection:\n';

/** A rule whose detection section is `detection` (lines start at line 4). */
function load(detection: string): { rule: SigmaRule; lines: LineIndex } {
  const text = HEAD + detection;
  const loaded = loadRuleText('r.yml', text);
  const rule = loaded.documents[0];
  if (!rule || rule.kind !== 'rule') throw new Error(`rule did not load: ${JSON.stringify(loaded.diagnostics)}`);
  return { rule, lines: new LineIndex('r.yml', text) };
}

function compile(detection: string) {
  const { rule, lines } = load(detection);
  return compileRule(rule, lines);
}

/** `CODE@line:col` of every diagnostic. */
function where(detection: string): string[] {
  return compile(detection).diagnostics.map((d) => `${d.code}@${d.position?.line}:${d.position?.column}`);
}

function ir(detection: string): IrNode {
  const r = compile(detection);
  if (!r.ir) throw new Error(`no IR: ${JSON.stringify(r.diagnostics)}`);
  return stripOffsets(r.ir);
}

function stripOffsets(n: IrNode): IrNode {
  switch (n.kind) {
    case 'and':
    case 'or':
      return { kind: n.kind, args: n.args.map(stripOffsets) };
    case 'not':
      return { kind: 'not', arg: stripOffsets(n.arg) };
    case 'const':
      return n;
    case 'test':
      return { ...n, offset: 0 };
  }
}

const STAR = { wildcard: '*' } as const;
const leaf = (field: string | null, test: ValueTest): IrNode => ({ kind: 'test', field, test, offset: 0 });
const str = (field: string | null, pattern: Pattern, cased = false): IrNode => leaf(field, { kind: 'string', pattern, cased });
const and = (...args: IrNode[]): IrNode => ({ kind: 'and', args });
const or = (...args: IrNode[]): IrNode => ({ kind: 'or', args });
const not = (arg: IrNode): IrNode => ({ kind: 'not', arg });
const argsOf = (n: IrNode): readonly IrNode[] => (n.kind === 'and' || n.kind === 'or' ? n.args : []);

// ---------------------------------------------------------------- diagnostics and their positions

test('MODIFIER_UNKNOWN points at the modifier inside the key', (t) => {
  // line 5 is `        CommandLine|containz: x`; the key starts at column 9, "CommandLine|" is 12 characters.
  t.deepEqual(where('    sel:\n        CommandLine|containz: x\n    condition: sel\n'), ['MODIFIER_UNKNOWN@5:21']);
});

test('MODIFIER_UNKNOWN points at the second modifier when the first is known', (t) => {
  t.deepEqual(where('    sel:\n        Image|endswith|foo: x\n    condition: sel\n'), ['MODIFIER_UNKNOWN@5:24']);
});

test('MODIFIER_UNKNOWN reports every unknown modifier of a key', (t) => {
  t.deepEqual(where('    sel:\n        f|aa|contains|bb: x\n    condition: sel\n'), ['MODIFIER_UNKNOWN@5:11', 'MODIFIER_UNKNOWN@5:23']);
});

test('MODIFIER_UNKNOWN in a quoted key points at the modifier, not one column early', (t) => {
  // `        'CommandLine|containz': x` — the quote is column 9, C column 10, containz column 22.
  t.deepEqual(where("    sel:\n        'CommandLine|containz': x\n    condition: sel\n"), ['MODIFIER_UNKNOWN@5:22']);
  // A keyword key written as '|foo' (must be quoted in YAML): the quote is column 9, foo column 11.
  t.deepEqual(where("    sel:\n        '|foo': x\n    condition: sel\n"), ['MODIFIER_UNKNOWN@5:11']);
});

test('MODIFIER_TYPE: contains on a number (mod-contains-int), at the value', (t) => {
  t.deepEqual(where('    sel:\n        EventID|contains: 4688\n    condition: sel\n'), ['MODIFIER_TYPE@5:27']);
});

test('MODIFIER_TYPE: gt on a quoted number (mod-gt-quoted-number)', (t) => {
  t.deepEqual(where("    sel:\n        n|gt: '10'\n    condition: sel\n"), ['MODIFIER_TYPE@5:15']);
});

test('MODIFIER_TYPE: a regex flag without re (mod-i-without-re)', (t) => {
  t.deepEqual(where('    sel:\n        f|i: abc\n    condition: sel\n'), ['MODIFIER_TYPE@5:14']);
});

test('MODIFIER_TYPE: exists needs a YAML boolean and a field', (t) => {
  t.deepEqual(where("    sel:\n        f|exists: 'true'\n    condition: sel\n"), ['MODIFIER_TYPE@5:19']);
  t.deepEqual(where("    sel:\n        '|exists': true\n    condition: sel\n"), ['MODIFIER_TYPE@5:20']);
});

test('MODIFIER_TYPE: fieldref|cased is refused; re on a number is refused (mod-re-int)', (t) => {
  t.deepEqual(where('    sel:\n        f|fieldref|cased: other\n    condition: sel\n'), ['MODIFIER_TYPE@5:27']);
  t.deepEqual(where('    sel:\n        f|re: 123\n    condition: sel\n'), ['MODIFIER_TYPE@5:15']);
});

test('MODIFIER_ORDER: re, cidr and exists must come first (mod-contains-re-error)', (t) => {
  t.deepEqual(where('    sel:\n        f|contains|re: abc\n    condition: sel\n'), ['MODIFIER_ORDER@5:24']);
  t.deepEqual(where("    sel:\n        f|contains|cidr: '10.0.0.0/8'\n    condition: sel\n"), ['MODIFIER_ORDER@5:26']);
  t.deepEqual(where('    sel:\n        f|exists|exists: true\n    condition: sel\n'), ['MODIFIER_ORDER@5:26']);
  // Before exists, a modifier that needs a string fails first: a boolean cannot be cased.
  t.deepEqual(where('    sel:\n        f|cased|exists: true\n    condition: sel\n'), ['MODIFIER_TYPE@5:25']);
});

test('the flags all and neq before re do not count as modifying the value', (t) => {
  t.deepEqual(where('    sel:\n        f|all|re: [a, b]\n    condition: sel\n'), []);
  t.deepEqual(where('    sel:\n        f|neq|re: a\n    condition: sel\n'), []);
});

test('VALUE_INVALID: base64/base64offset/fieldref refuse wildcards (mod-base64-wildcard-error)', (t) => {
  t.deepEqual(where("    sel:\n        f|base64: 'a*'\n    condition: sel\n"), ['VALUE_INVALID@5:19']);
  t.deepEqual(where("    sel:\n        f|contains|base64offset: 'abc'\n    condition: sel\n"), ['VALUE_INVALID@5:34']);
  t.deepEqual(where("    sel:\n        f|fieldref: 'a?'\n    condition: sel\n"), ['VALUE_INVALID@5:21']);
});

test('REGEX_INVALID and CIDR_INVALID point at the value (mod-re-invalid, host bits set)', (t) => {
  t.deepEqual(where("    sel:\n        f|re: '(abc'\n    condition: sel\n"), ['REGEX_INVALID@5:15']);
  t.deepEqual(where("    sel:\n        f|cidr: '10.0.0.1/8'\n    condition: sel\n"), ['CIDR_INVALID@5:17']);
  t.deepEqual(where("    sel:\n        f|cidr: 'nope'\n    condition: sel\n"), ['CIDR_INVALID@5:17']);
});

test('the failing value of a list is the one pointed at', (t) => {
  t.deepEqual(where("    sel:\n        f|re:\n            - 'ok'\n            - '[x'\n    condition: sel\n"), ['REGEX_INVALID@7:15']);
});

test('DETECTION_INVALID: empty map, empty list, null identifier, map value, map in a value list, null keyword', (t) => {
  t.deepEqual(where('    sel: {}\n    condition: sel\n'), ['DETECTION_INVALID@4:10']);
  t.deepEqual(where('    sel: []\n    condition: sel\n'), ['DETECTION_INVALID@4:10']);
  // `    sel:` with nothing after it: the null value sits right after the colon.
  t.deepEqual(where('    sel:\n    condition: sel\n'), ['DETECTION_INVALID@4:9']);
  t.deepEqual(where('    sel:\n        f: {a: b}\n    condition: sel\n'), ['DETECTION_INVALID@5:12']);
  t.deepEqual(where('    sel:\n        f:\n            - x\n            - {a: b}\n    condition: sel\n'), ['DETECTION_INVALID@7:15']);
  t.deepEqual(where('    sel:\n        - evil\n        - null\n    condition: sel\n'), ['DETECTION_INVALID@6:11']);
});

test('CONDITION_INVALID: a condition that is not a string, or a list item that is not', (t) => {
  t.deepEqual(where('    sel: {f: x}\n    condition: 5\n'), ['CONDITION_INVALID@5:16']);
  t.deepEqual(where('    sel: {f: x}\n    condition:\n        - sel\n        - 7\n'), ['CONDITION_INVALID@7:11']);
});

test('condition errors carry their column inside the condition string, quoted or not', (t) => {
  // `    condition: sel and nosuch` — the value starts at column 16, `nosuch` at 16 + 8.
  t.deepEqual(where('    sel: {f: x}\n    condition: sel and nosuch\n'), ['CONDITION_UNDEFINED_IDENTIFIER@5:24']);
  t.deepEqual(where("    sel: {f: x}\n    condition: 'sel and nosuch'\n"), ['CONDITION_UNDEFINED_IDENTIFIER@5:25']);
  t.deepEqual(where('    sel: {f: x}\n    condition:\n        - sel\n        - nosuch or sel\n'), ['CONDITION_UNDEFINED_IDENTIFIER@7:11']);
});

test('CONDITION_EMPTY: a condition whose selectors match nothing (warning, then the error at the condition)', (t) => {
  const r = compile('    sel: {f: x}\n    condition: 1 of filter_*\n');
  t.deepEqual(
    r.diagnostics.map((d) => `${d.severity}:${d.code}@${d.position?.line}:${d.position?.column}`),
    ['warning:CONDITION_SELECTOR_NO_MATCH@5:16', 'error:CONDITION_EMPTY@5:16'],
  );
  t.is(r.ir, undefined);
});

test('a selector matching nothing inside a larger condition is only a warning', (t) => {
  const r = compile('    sel: {f: x}\n    condition: sel and not 1 of filter_*\n');
  t.deepEqual(r.diagnostics.map((d) => d.code), ['CONDITION_SELECTOR_NO_MATCH']);
  t.deepEqual(stripOffsets(r.ir!), str('f', ['x']));
});

test('a rule with any error has no IR, and other errors are still collected', (t) => {
  const r = compile("    a:\n        f|containz: x\n    b:\n        g|re: '('\n    condition: a or b\n");
  t.is(r.ir, undefined);
  t.deepEqual(r.diagnostics.map((d) => d.code), ['MODIFIER_UNKNOWN', 'REGEX_INVALID']);
});

test('diagnostics name the rule', (t) => {
  const r = compile('    sel:\n        f|nope: x\n    condition: sel\n');
  t.is(r.diagnostics[0]?.rule, 'T');
  t.is(r.diagnostics[0]?.position?.file, 'r.yml');
});

// ---------------------------------------------------------------- structure and values

test('a map is an AND, a value list an OR, a list of maps an OR of ANDs (spec §2)', (t) => {
  t.deepEqual(ir('    sel:\n        a: x\n        b: [y, z]\n    condition: sel\n'), and(str('a', ['x']), or(str('b', ['y']), str('b', ['z']))));
  t.deepEqual(ir('    sel:\n        - {a: x, b: y}\n        - {c: z}\n    condition: sel\n'), or(and(str('a', ['x']), str('b', ['y'])), str('c', ['z'])));
});

test('keyword lists are OR-ed field-less tests; |all keywords are AND-ed', (t) => {
  t.deepEqual(ir("    kw:\n        - evil\n        - 'bad*thing'\n    condition: kw\n"), or(str(null, ['evil']), str(null, ['bad', STAR, 'thing'])));
  t.deepEqual(ir('    kw: evil\n    condition: kw\n'), str(null, ['evil']));
  t.deepEqual(ir("    kw:\n        '|all': [a, b]\n    condition: kw\n"), and(str(null, ['a']), str(null, ['b'])));
});

test('value types: numbers, floats, booleans, null, empty list, empty string', (t) => {
  t.deepEqual(
    ir("    sel:\n        a: 4688\n        b: 1.5\n        c: true\n        d: null\n        e: []\n        f: ''\n    condition: sel\n"),
    and(
      leaf('a', { kind: 'number', value: 4688 }),
      leaf('b', { kind: 'number', value: 1.5 }),
      leaf('c', { kind: 'bool', value: true }),
      leaf('d', { kind: 'null' }),
      leaf('e', { kind: 'null' }),
      str('f', []),
    ),
  );
  // Quoted, a number is a string.
  t.deepEqual(ir("    sel: {a: '4688'}\n    condition: sel\n"), str('a', ['4688']));
});

test('contains / startswith / endswith add stars, never a second one', (t) => {
  t.deepEqual(ir('    sel: {f|contains: abc}\n    condition: sel\n'), str('f', [STAR, 'abc', STAR]));
  t.deepEqual(ir("    sel: {f|contains: '*abc*'}\n    condition: sel\n"), str('f', [STAR, 'abc', STAR]));
  t.deepEqual(ir('    sel: {f|startswith: abc}\n    condition: sel\n'), str('f', ['abc', STAR]));
  t.deepEqual(ir("    sel: {f|endswith: '\\cmd.exe'}\n    condition: sel\n"), str('f', [STAR, '\\cmd.exe']));
});

test('spec str-unc-path: startswith after \\\\\\\\server\\share\\', (t) => {
  t.deepEqual(ir("    sel:\n        f|startswith: '\\\\\\\\server\\share\\'\n    condition: sel\n"), str('f', ['\\\\server\\share\\', STAR]));
});

test('all AND-s the values; neq negates the whole item (spec §6, pySigma)', (t) => {
  t.deepEqual(ir('    sel:\n        f|contains|all: [a, b]\n    condition: sel\n'), and(str('f', [STAR, 'a', STAR]), str('f', [STAR, 'b', STAR])));
  t.deepEqual(ir('    sel:\n        f|neq: [a, b]\n    condition: sel\n'), not(or(str('f', ['a']), str('f', ['b']))));
  t.deepEqual(ir('    sel:\n        f|contains|neq: a\n    condition: sel\n'), not(str('f', [STAR, 'a', STAR])));
  t.deepEqual(ir('    sel:\n        f|neq|all: [a, b]\n    condition: sel\n'), not(and(str('f', ['a']), str('f', ['b']))));
});

test('a single value under all is accepted (mod-all-single-value)', (t) => {
  t.deepEqual(ir('    sel:\n        f|all: a\n    condition: sel\n'), str('f', ['a']));
});

test('expansions stay OR-ed inside all (mod-windash-all)', (t) => {
  const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'];
  const expanded = (flag: string) => or(...dashes.map((d) => str('f', [STAR, ` ${d}${flag}`, STAR])));
  t.deepEqual(ir("    sel:\n        f|windash|contains|all: [' -a', ' -b']\n    condition: sel\n"), and(expanded('a'), expanded('b')));
});

test('exists: true is a presence test; exists: false its negation (spec: presence only)', (t) => {
  t.deepEqual(ir('    sel: {f|exists: true}\n    condition: sel\n'), leaf('f', { kind: 'exists' }));
  t.deepEqual(ir('    sel: {f|exists: false}\n    condition: sel\n'), not(leaf('f', { kind: 'exists' })));
  t.deepEqual(ir('    sel: {f|exists: yes}\n    condition: sel\n'), leaf('f', { kind: 'exists' }));
});

test('cased before or after contains gives the same test (mod-cased-contains, mod-contains-cased)', (t) => {
  const expected = str('f', [STAR, 'AbC', STAR], true);
  t.deepEqual(ir('    sel: {f|cased|contains: AbC}\n    condition: sel\n'), expected);
  t.deepEqual(ir('    sel: {f|contains|cased: AbC}\n    condition: sel\n'), expected);
});

test('windash and contains commute (spec §6 rule 5), and windash gives 5^n variants', (t) => {
  const a = ir("    sel: {f|windash|contains: '-enc'}\n    condition: sel\n");
  const b = ir("    sel: {f|contains|windash: '-enc'}\n    condition: sel\n");
  t.deepEqual(a, b);
  t.is(argsOf(a).length, 5);
  const two = ir("    sel: {f|windash: ' -a /b'}\n    condition: sel\n");
  t.is(two.kind, 'or');
  t.is(argsOf(two).length, 25);
  // No dash at a word start: the value is unchanged.
  t.deepEqual(ir("    sel: {f|windash: 'a-b'}\n    condition: sel\n"), str('f', ['a-b']));
});

test('base64 / utf16 chains give the Buffer-computed encodings', (t) => {
  const b64 = (buf: Buffer) => buf.toString('base64');
  t.deepEqual(ir("    sel: {f|base64: 'http://'}\n    condition: sel\n"), str('f', [b64(Buffer.from('http://'))]));
  t.deepEqual(ir('    sel: {f|wide|base64: cmd}\n    condition: sel\n'), str('f', [b64(Buffer.from('cmd', 'utf16le'))]));
  t.deepEqual(ir('    sel: {f|utf16le|base64: cmd}\n    condition: sel\n'), str('f', [b64(Buffer.from('cmd', 'utf16le'))]));
  t.deepEqual(ir('    sel: {f|utf16be|base64: cmd}\n    condition: sel\n'), str('f', ['AGMAbQBk']));
  t.deepEqual(ir('    sel: {f|utf16|base64: cmd}\n    condition: sel\n'), str('f', [b64(Buffer.from([0xff, 0xfe, ...Buffer.from('cmd', 'utf16le')]))]));
  t.deepEqual(ir('    sel: {f|wide: cmd}\n    condition: sel\n'), str('f', ['c\0m\0d\0']));
});

test('base64offset|contains gives three OR-ed contains tests (mod-base64offset-http)', (t) => {
  t.deepEqual(
    ir('    sel: {f|base64offset|contains: http}\n    condition: sel\n'),
    or(str('f', [STAR, 'aHR0c', STAR]), str('f', [STAR, 'h0dH', STAR]), str('f', [STAR, 'odHRw', STAR])),
  );
});

test('re keeps the raw text (no Sigma unescaping) and collects flags', (t) => {
  t.deepEqual(ir("    sel: {f|re: 'a\\\\b\\d'}\n    condition: sel\n"), leaf('f', { kind: 'regex', source: 'a\\\\b\\d', flags: '' }));
  t.deepEqual(ir("    sel: {f|re|m|i: 'x'}\n    condition: sel\n"), leaf('f', { kind: 'regex', source: 'x', flags: 'im' }));
  t.deepEqual(ir("    sel: {f|re|ignorecase|dotall|multiline: 'x'}\n    condition: sel\n"), leaf('f', { kind: 'regex', source: 'x', flags: 'ims' }));
});

test('contains/startswith/endswith on re add .* unless anchored or already there (mod-re-contains)', (t) => {
  const re = (source: string) => leaf('f', { kind: 'regex', source, flags: '' });
  t.deepEqual(ir("    sel: {f|re|contains: 'a'}\n    condition: sel\n"), re('.*a.*'));
  t.deepEqual(ir("    sel: {f|re|contains: '^a$'}\n    condition: sel\n"), re('^a$'));
  t.deepEqual(ir("    sel: {f|re|startswith: 'a'}\n    condition: sel\n"), re('a.*'));
  t.deepEqual(ir("    sel: {f|re|endswith: '^a'}\n    condition: sel\n"), re('^a'));
  t.deepEqual(ir("    sel: {f|re|contains: '.*a'}\n    condition: sel\n"), re('.*a.*'));
});

test('cidr values carry network, first and last address', (t) => {
  t.deepEqual(
    ir("    sel: {f|cidr: '192.168.0.0/23'}\n    condition: sel\n"),
    leaf('f', { kind: 'cidr', cidr: '192.168.0.0/23', version: 4, network: '192.168.0.0', prefixLength: 23, first: '192.168.0.0', last: '192.168.1.255' }),
  );
});

test('fieldref: equals, and contains/startswith/endswith set its flags', (t) => {
  const fr = (startswith: boolean, endswith: boolean) => leaf('a', { kind: 'fieldref', field: 'b', startswith, endswith });
  t.deepEqual(ir('    sel: {a|fieldref: b}\n    condition: sel\n'), fr(false, false));
  t.deepEqual(ir('    sel: {a|fieldref|contains: b}\n    condition: sel\n'), fr(true, true));
  t.deepEqual(ir('    sel: {a|fieldref|startswith: b}\n    condition: sel\n'), fr(true, false));
  t.deepEqual(ir('    sel: {a|fieldref|endswith: b}\n    condition: sel\n'), fr(false, true));
  t.deepEqual(ir('    sel: {a|fieldref|neq: b}\n    condition: sel\n'), not(fr(false, false)));
});

test('comparisons and time parts (ts|hour|gt keeps the hour part)', (t) => {
  t.deepEqual(ir('    sel: {n|gte: 10}\n    condition: sel\n'), leaf('n', { kind: 'compare', op: 'gte', value: 10 }));
  t.deepEqual(ir('    sel: {n|lt: [1, 5]}\n    condition: sel\n'), or(leaf('n', { kind: 'compare', op: 'lt', value: 1 }), leaf('n', { kind: 'compare', op: 'lt', value: 5 })));
  t.deepEqual(ir('    sel: {ts|hour: 3}\n    condition: sel\n'), leaf('ts', { kind: 'timepart', part: 'hour', op: 'eq', value: 3 }));
  t.deepEqual(ir('    sel: {ts|hour|gt: 20}\n    condition: sel\n'), leaf('ts', { kind: 'timepart', part: 'hour', op: 'gt', value: 20 }));
});

test('without expand, %name% is literal text (mod-no-expand-literal)', (t) => {
  t.deepEqual(ir("    sel: {f: '%Admins%'}\n    condition: sel\n"), str('f', ['%Admins%']));
});

test('condition lists are OR-ed', (t) => {
  t.deepEqual(ir('    a: {f: x}\n    b: {g: y}\n    condition:\n        - a\n        - b\n'), or(str('f', ['x']), str('g', ['y'])));
});

test('condition operators: not, and, 1 of, all of, them skips _ identifiers', (t) => {
  const A = str('f', ['x']);
  const B = str('g', ['y']);
  const U = str('h', ['z']);
  const det = '    sel_a: {f: x}\n    sel_b: {g: y}\n    _u: {h: z}\n';
  t.deepEqual(ir(`${det}    condition: sel_a and not sel_b\n`), and(A, not(B)));
  t.deepEqual(ir(`${det}    condition: 1 of sel_*\n`), or(A, B));
  t.deepEqual(ir(`${det}    condition: all of them\n`), and(A, B));
  t.deepEqual(ir(`${det}    condition: 1 of them or _u\n`), or(A, B, U));
});

test('lowerDetection returns each identifier tree and one tree per condition', (t) => {
  const { rule, lines } = load('    a: {f: x}\n    b: {g: y}\n    condition:\n        - a\n        - b and a\n');
  const lowered = lowerDetection(rule, lines);
  t.deepEqual([...lowered.identifiers.keys()], ['a', 'b']);
  t.is(lowered.conditions.length, 2);
  t.deepEqual(lowered.diagnostics, []);
  t.deepEqual(stripOffsets(lowered.conditions[1]!), and(str('g', ['y']), str('f', ['x'])));
});

test('leaf offsets point at the value in the file', (t) => {
  const { rule, lines } = load('    sel:\n        f: [aa, bb]\n    condition: sel\n');
  const tree = lowerDetection(rule, lines).conditions[0]!;
  t.is(tree.kind, 'or');
  const offsets = argsOf(tree).map((a) => lines.position((a as { offset: number }).offset));
  t.deepEqual(offsets.map((p) => `${p.line}:${p.column}`), ['5:13', '5:17']);
});
