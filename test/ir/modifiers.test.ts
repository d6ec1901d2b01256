/** The modifier registry on its own: every modifier of the spec §6 table is known, and the chain rules hold. */
import test from 'ava';
import { KNOWN_MODIFIERS, applyModifier, finish, initialValue, isKnownModifier, type ChainValue } from '../../src/ir/modifiers';

const SPEC_MODIFIERS = [
  'contains', 'startswith', 'endswith', 'all', 'base64', 'base64offset', 'wide', 'utf16le', 'utf16be', 'utf16', 'windash',
  're', 'i', 'ignorecase', 'm', 'multiline', 's', 'dotall', 'cidr', 'exists', 'cased', 'gt', 'gte', 'lt', 'lte', 'neq',
  'fieldref', 'expand', 'minute', 'hour', 'day', 'week', 'month', 'year',
];

test('every modifier of the spec is known, and nothing else', (t) => {
  for (const m of SPEC_MODIFIERS) t.true(isKnownModifier(m), m);
  t.deepEqual([...KNOWN_MODIFIERS].sort(), [...SPEC_MODIFIERS].sort());
  t.false(isKnownModifier('Contains'), 'modifier names are case-sensitive');
  t.false(isKnownModifier(''));
});

function chain(value: string | number | boolean | null, mods: string[], field: string | null = 'f') {
  let v: ChainValue = initialValue(value);
  for (let i = 0; i < mods.length; i++) {
    const r = applyModifier(mods[i]!, v, i, field);
    if (!r.ok) return r.problem.code;
    v = r.value;
  }
  return finish(v);
}

test('re, cidr and exists are refused after any other modifier', (t) => {
  t.is(chain('a', ['cased', 're']), 'MODIFIER_ORDER');
  t.is(chain('10.0.0.0/8', ['cased', 'cidr']), 'MODIFIER_ORDER');
  t.is(chain(true, ['exists', 'exists']), 'MODIFIER_ORDER');
});

test('applyModifier of an unknown name is MODIFIER_UNKNOWN', (t) => {
  t.is(chain('a', ['nope']), 'MODIFIER_UNKNOWN');
});

test('exists: false finishes as a negated exists test', (t) => {
  t.deepEqual(chain(false, ['exists']), { tests: [{ kind: 'exists' }], negate: true });
  t.deepEqual(chain(true, ['exists']), { tests: [{ kind: 'exists' }], negate: false });
  t.is(chain(true, ['exists'], null), 'MODIFIER_TYPE');
});

test('base64 after an expansion encodes each variant (windash then base64)', (t) => {
  const r = chain('-a', ['windash', 'base64']);
  if (typeof r === 'string' || 'problem' in r) return t.fail(String(r));
  t.deepEqual(
    r.tests.map((x) => (x.kind === 'string' ? x.pattern : null)),
    ['-a', '/a', '\u2013a', '\u2014a', '\u2015a'].map((s) => [Buffer.from(s).toString('base64')]),
  );
});

test('encodings keep wildcards as wildcards (mod-wide-contains)', (t) => {
  const r = chain('cmd', ['contains', 'wide']);
  if (typeof r === 'string' || 'problem' in r) return t.fail(String(r));
  t.deepEqual(r.tests, [{ kind: 'string', pattern: [{ wildcard: '*' }, 'c\0m\0d\0', { wildcard: '*' }], cased: false }]);
});

test('a wrong-order base64|wide chain is legal and encodes the base64 text (mod-base64offset-wide-order)', (t) => {
  const r = chain('cmd', ['base64', 'wide']);
  if (typeof r === 'string' || 'problem' in r) return t.fail(String(r));
  t.deepEqual(r.tests, [{ kind: 'string', pattern: [Buffer.from(Buffer.from('cmd').toString('base64'), 'utf16le').toString('latin1')], cased: false }]);
});

test('regex flags after re only; comparisons on numbers only', (t) => {
  t.is(chain('a', ['i']), 'MODIFIER_TYPE');
  t.is(chain(5, ['re']), 'MODIFIER_TYPE');
  t.is(chain('5', ['gt']), 'MODIFIER_TYPE');
  t.is(chain(true, ['lt']), 'MODIFIER_TYPE');
  t.is(chain('2020', ['year']), 'MODIFIER_TYPE');
  t.deepEqual(chain(5, ['gt']), { tests: [{ kind: 'compare', op: 'gt', value: 5 }], negate: false });
});

test('a timepart takes one comparison; a second is a type error', (t) => {
  t.deepEqual(chain(3, ['hour', 'lte']), { tests: [{ kind: 'timepart', part: 'hour', op: 'lte', value: 3 }], negate: false });
  t.is(chain(3, ['hour', 'lte', 'gt']), 'MODIFIER_TYPE');
});
