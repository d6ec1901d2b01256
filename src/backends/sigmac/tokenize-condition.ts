/**
 * sigmac's condition tokenizer, quirks included: each token regex is tried at the start of the remaining
 * text in a fixed order, case-insensitively and without word boundaries, so `original` lexes as
 * `or` + `iginal` (B12). Positions are 1-based, as sigmac reports them.
 */
import { parseError } from './sigmac-error';

export type TokenType =
  | 'ONE'
  | 'ALL'
  | 'AGG'
  | 'NEAR'
  | 'BY'
  | 'EQ'
  | 'LTE'
  | 'LT'
  | 'GTE'
  | 'GT'
  | 'PIPE'
  | 'AND'
  | 'OR'
  | 'NOT'
  | 'ID'
  | 'LPAR'
  | 'RPAR';

export interface Token {
  readonly kind: 'token';
  readonly type: TokenType;
  readonly matched: string;
  /** 1-based position in the condition string. */
  readonly pos: number;
}

// Python's `\w` is Unicode-aware; `[\w*-.]` is a class with the range `*`..`.` (`*+,-.`).
const TOKEN_DEFS: readonly (readonly [TokenType | null, RegExp])[] = [
  ['ONE', /^1 of/i],
  ['ALL', /^all of/i],
  [null, /^[\s\r\n]+/u],
  ['AGG', /^(?:count|min|max|avg|sum)/i],
  ['NEAR', /^near/i],
  ['BY', /^by/i],
  ['EQ', /^==/],
  ['LTE', /^<=/],
  ['LT', /^</],
  ['GTE', /^>=/],
  ['GT', /^>/],
  ['PIPE', /^\|/],
  ['AND', /^and/i],
  ['OR', /^or/i],
  ['NOT', /^not/i],
  ['ID', /^[\p{L}\p{N}\p{M}_*+,\-.]+/u],
  ['LPAR', /^\(/],
  ['RPAR', /^\)/],
];

export function tokenizeCondition(condition: string): Token[] {
  const tokens: Token[] = [];
  let pos = 1;
  let rest = condition;
  while (rest.length > 0) {
    let matched = false;
    for (const [type, re] of TOKEN_DEFS) {
      const m = re.exec(rest);
      if (!m) continue;
      if (type !== null) tokens.push({ kind: 'token', type, matched: m[0], pos });
      pos += m[0].length;
      rest = rest.slice(m[0].length);
      matched = true;
      break;
    }
    if (!matched) throw parseError(`Unexpected token in condition at position ${rest}`);
  }
  return tokens;
}
