/**
 * What a keyword (a value with no field) means, shared by every engine: a *contains* match of its text
 * against the string values of an event, or against the whole line of a text event. Numbers and
 * booleans written as keywords are searched as their text.
 */
import { withLeadingStar, withTrailingStar } from './pattern';
import type { ValueTest } from './types';

export function keywordTest(test: ValueTest): ValueTest {
  switch (test.kind) {
    case 'string':
      return { ...test, pattern: withTrailingStar(withLeadingStar(test.pattern)) };
    case 'number':
    case 'bool':
      return { kind: 'string', cased: false, pattern: withTrailingStar(withLeadingStar([String(test.value)])) };
    default:
      return test;
  }
}
