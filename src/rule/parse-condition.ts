/**
 * Condition string → positioned parse tree (`ConditionNode`) plus problems. A hand-written lexer and a
 * recursive-descent parser; pure, no identifier lookup (that is `resolve-condition.ts`).
 *
 * Grammar, loosest to tightest (sigma-spec §8):
 *   cond := and ("or" and)* ; and := not ("and" not)* ; not := "not" not | atom
 *   atom := "(" cond ")" | QUANT "of" PATTERN | IDENT        QUANT := "1" | "any" | "all"
 * Key decisions:
 * - Keywords are whole lowercase words. The lexer cuts words first, so `notes`, `order` and `original` are
 *   identifiers (pySigma reads `notes` as `not es`, sigmac B12 splits `original`; both are bugs we do not copy).
 * - Words are `[A-Za-z0-9_*-]+`, as pySigma's identifiers plus `*`. We also allow `-` in patterns (pySigma
 *   does not) so that `sel-*` can select `sel-1`. `.` and anything else is an unexpected character.
 * - A legacy v1 clause (`| count() by x > 5`, `near a`) is parsed off the end and reported as an error, so
 *   the search expression in front of it still gets a tree.
 * - The parser stops at the first syntax error in the search expression: later errors are usually echoes.
 */
import type { AggregationClause, ConditionNode, ConditionProblem, ParsedCondition } from './condition-types';

/** Parentheses plus `not` nesting allowed before we refuse; keeps recursion far from the stack limit. */
export const MAX_CONDITION_NESTING = 256;

const RESERVED = new Set(['and', 'or', 'not', 'of']);
const KEYWORDS_CASE_INSENSITIVE = new Set(['and', 'or', 'not', 'of', 'them', 'any', 'all', 'near']);
const AGGREGATION_FUNCTIONS = ['count', 'min', 'max', 'avg', 'sum'] as const;

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly offset: number }
  | { readonly kind: 'lparen' | 'rparen' | 'end'; readonly offset: number };

/** A parsed node and the source range it covers, including any parentheses around it. */
interface Extent {
  readonly node: ConditionNode;
  readonly start: number;
  readonly end: number;
}

/** Thrown inside this module only, to unwind the descent at the first syntax error. */
class SyntaxFailure {
  constructor(readonly problem: ConditionProblem) {}
}

export function parseCondition(text: string): ParsedCondition {
  const problems: ConditionProblem[] = [];
  const pipe = text.indexOf('|');
  const searchEnd = pipe < 0 ? text.length : pipe;
  const lexed = lex(text.slice(0, searchEnd));
  let ast: ConditionNode | undefined;
  let nearOffset: number | undefined;

  if (lexed.problems.length > 0) {
    problems.push(...lexed.problems);
  } else if (lexed.tokens.length === 1) {
    problems.push(
      err(
        'CONDITION_EMPTY',
        pipe < 0 ? 'the condition is empty' : 'no search expression before "|"',
        0,
        searchEnd,
      ),
    );
  } else {
    const parser = new Parser(lexed.tokens);
    try {
      const parsed = parser.parseOr();
      const after = parser.peek();
      if (after.kind === 'word' && after.text === 'near') nearOffset = after.offset;
      else if (after.kind !== 'end') parser.failAfterExpression(after);
      ast = parsed.node;
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      problems.push(e.problem);
    }
  }

  let aggregation: AggregationClause | undefined;
  if (nearOffset !== undefined) {
    aggregation = { kind: 'near', text: text.slice(nearOffset).trim(), offset: nearOffset };
  } else if (pipe >= 0) {
    const raw = text.slice(pipe + 1);
    const clauseText = raw.trim();
    const offset = pipe + 1 + (raw.length - raw.trimStart().length);
    if (/^near(?![A-Za-z0-9_*-])/.test(clauseText)) {
      aggregation = { kind: 'near', text: clauseText, offset };
    } else {
      const fn = AGGREGATION_FUNCTIONS.find((f) => new RegExp(`^${f}\\s*\\(`).test(clauseText));
      aggregation = fn
        ? { kind: 'aggregation', function: fn, text: clauseText, offset }
        : { kind: 'aggregation', text: clauseText, offset };
    }
  }
  if (aggregation) problems.push(aggregationProblem(aggregation, pipe));

  return { ...(ast ? { ast } : {}), ...(aggregation ? { aggregation } : {}), problems };
}

function aggregationProblem(clause: AggregationClause, pipe: number): ConditionProblem {
  // Cover the `|` too when there is one, so a caret points at the start of the legacy syntax.
  const start = clause.kind === 'near' && pipe < 0 ? clause.offset : Math.min(pipe, clause.offset);
  const length = clause.offset + clause.text.length - start;
  if (clause.kind === 'near') {
    return err(
      'CONDITION_NEAR_UNSUPPORTED',
      '"near" is not supported (legacy Sigma v1 syntax); express it as a temporal correlation rule',
      start,
      length,
    );
  }
  const what = clause.function
    ? `"${clause.function}() aggregation"`
    : clause.text === ''
      ? 'an empty aggregation after "|"'
      : `aggregation "${firstWord(clause.text)}"`;
  return err(
    'CONDITION_AGGREGATION_UNSUPPORTED',
    `${what} is not supported (legacy Sigma v1 pipe syntax); express it as a correlation rule`,
    start,
    length,
  );
}

function firstWord(s: string): string {
  return /^[^\s(]*/.exec(s)?.[0] ?? s;
}

function isWordChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x5f || // _
    c === 0x2d || // -
    c === 0x2a // *
  );
}

function lex(text: string): { tokens: Token[]; problems: ConditionProblem[] } {
  const tokens: Token[] = [];
  const problems: ConditionProblem[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
    } else if (c === 0x28) {
      tokens.push({ kind: 'lparen', offset: i++ });
    } else if (c === 0x29) {
      tokens.push({ kind: 'rparen', offset: i++ });
    } else if (isWordChar(c)) {
      const start = i;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), offset: start });
    } else {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? c);
      const hint = ch === '.' ? ' (identifiers may contain only letters, digits, "_" and "-")' : '';
      problems.push(err('CONDITION_UNEXPECTED_CHARACTER', `unexpected character "${ch}"${hint}`, i, ch.length));
      i += ch.length;
    }
  }
  tokens.push({ kind: 'end', offset: text.length });
  return { tokens, problems };
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    // The last token is always `end`, so clamping keeps peeks past it well defined.
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text === text;
  }

  parseOr(): Extent {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): Extent {
    return this.parseChain('and', () => this.parseNot());
  }

  private parseChain(op: 'and' | 'or', operand: () => Extent): Extent {
    const first = operand();
    if (!this.isWord(op)) return first;
    const args: ConditionNode[] = [first.node];
    let end = first.end;
    while (this.isWord(op)) {
      this.next();
      const right = operand();
      args.push(right.node);
      end = right.end;
    }
    const start = first.start;
    return { node: { kind: op, args, offset: start, length: end - start }, start, end };
  }

  private parseNot(): Extent {
    const t = this.peek();
    if (!(t.kind === 'word' && t.text === 'not')) return this.parseAtom();
    this.next();
    this.enter(t.offset);
    const arg = this.parseNot();
    this.depth--;
    const length = arg.end - t.offset;
    return { node: { kind: 'not', arg: arg.node, offset: t.offset, length }, start: t.offset, end: arg.end };
  }

  private parseAtom(): Extent {
    const t = this.next();
    switch (t.kind) {
      case 'lparen':
        return this.parseParenthesised(t.offset);
      case 'word':
        if (this.isWord('of')) return this.parseSelector(t);
        if (RESERVED.has(t.text)) throw this.fail('CONDITION_EXPECTED_OPERAND', `expected an identifier, selector or "(" but found "${t.text}"`, t.offset, t.text.length);
        if (t.text.includes('*')) {
          throw this.fail(
            'CONDITION_WILDCARD_OUTSIDE_SELECTOR',
            `"*" is only allowed in a selector pattern such as "1 of ${t.text}"`,
            t.offset,
            t.text.length,
          );
        }
        return {
          node: { kind: 'identifier', name: t.text, offset: t.offset, length: t.text.length },
          start: t.offset,
          end: t.offset + t.text.length,
        };
      case 'rparen':
        throw this.fail('CONDITION_EXPECTED_OPERAND', 'expected an identifier, selector or "(" but found ")"', t.offset, 1);
      case 'end':
        throw this.failAtEnd(t.offset);
    }
  }

  private parseParenthesised(open: number): Extent {
    if (this.peek().kind === 'rparen') {
      const close = this.next().offset;
      throw this.fail('CONDITION_EMPTY_PARENS', 'empty parentheses', open, close + 1 - open);
    }
    this.enter(open);
    const inner = this.parseOr();
    this.depth--;
    const t = this.peek();
    if (t.kind === 'end') throw this.fail('CONDITION_UNBALANCED_PAREN', '"(" is never closed', open, 1);
    if (t.kind !== 'rparen') this.failAfterExpression(t, '")"');
    this.next();
    return { node: inner.node, start: open, end: t.offset + 1 };
  }

  private parseSelector(quantifier: Token & { kind: 'word' }): Extent {
    const of = this.next();
    const q = quantifier.text;
    if (q !== '1' && q !== 'any' && q !== 'all') {
      const hint = KEYWORDS_CASE_INSENSITIVE.has(q.toLowerCase()) && q !== q.toLowerCase() ? ' (keywords are lowercase)' : '';
      throw this.fail(
        'CONDITION_UNSUPPORTED_QUANTIFIER',
        `unsupported quantifier "${q} of": only "1 of", "any of" and "all of" exist${hint}`,
        quantifier.offset,
        of.offset + 2 - quantifier.offset,
      );
    }
    const p = this.peek();
    if (p.kind !== 'word' || RESERVED.has(p.text)) {
      const found = p.kind === 'word' ? `"${p.text}"` : p.kind === 'end' ? 'the end of the condition' : `"${p.kind === 'lparen' ? '(' : ')'}"`;
      throw this.fail(
        'CONDITION_EXPECTED_PATTERN',
        `expected a name pattern or "them" after "${q} of" but found ${found}`,
        p.offset,
        p.kind === 'word' ? p.text.length : p.kind === 'end' ? 0 : 1,
      );
    }
    this.next();
    const start = quantifier.offset;
    const end = p.offset + p.text.length;
    return {
      node: { kind: 'selector', quantifier: q === 'all' ? 'all' : 'any', pattern: p.text, offset: start, length: end - start },
      start,
      end,
    };
  }

  /** A complete expression is followed by something that is neither an operator nor what was expected. */
  failAfterExpression(t: Token, expected = 'end of condition'): never {
    switch (t.kind) {
      case 'rparen':
        throw this.fail('CONDITION_UNBALANCED_PAREN', '")" has no matching "("', t.offset, 1);
      case 'lparen':
        throw this.fail('CONDITION_EXPECTED_OPERATOR', `expected "and", "or" or ${expected} but found "("`, t.offset, 1);
      case 'word': {
        const hint =
          KEYWORDS_CASE_INSENSITIVE.has(t.text.toLowerCase()) && t.text !== t.text.toLowerCase()
            ? ' (keywords are lowercase)'
            : '';
        throw this.fail(
          'CONDITION_EXPECTED_OPERATOR',
          `expected "and", "or" or ${expected} but found "${t.text}"${hint}`,
          t.offset,
          t.text.length,
        );
      }
      case 'end':
        throw this.failAtEnd(t.offset);
    }
  }

  /** The input ended where an operand was needed. */
  private failAtEnd(offset: number): SyntaxFailure {
    const prev = this.tokens[this.tokens.length - 2];
    if (prev?.kind === 'lparen') return this.fail('CONDITION_UNBALANCED_PAREN', '"(" is never closed', prev.offset, 1);
    if (prev?.kind === 'word' && RESERVED.has(prev.text)) {
      return this.fail('CONDITION_TRAILING_OPERATOR', `"${prev.text}" needs an operand after it`, prev.offset, prev.text.length);
    }
    return this.fail('CONDITION_EXPECTED_OPERAND', 'unexpected end of condition', offset, 0);
  }

  private enter(offset: number): void {
    if (++this.depth > MAX_CONDITION_NESTING) {
      throw this.fail('CONDITION_TOO_DEEP', `nesting deeper than ${MAX_CONDITION_NESTING} levels`, offset, 1);
    }
  }

  private fail(code: ConditionProblem['code'], message: string, offset: number, length: number): SyntaxFailure {
    return new SyntaxFailure(err(code, message, offset, length));
  }
}

function err(code: ConditionProblem['code'], message: string, offset: number, length: number): ConditionProblem {
  return { code, message, offset, length, severity: 'error' };
}
