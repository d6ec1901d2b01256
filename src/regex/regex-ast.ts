/**
 * The regex AST for Sigma `re` values: plain readonly data, discriminant `kind`, source offsets
 * (`offset`/`end`, UTF-16 indexes into the regex source). No methods; the parser builds it, the
 * translators (RE2, PCRE, JSON-escaped text, required literals) read it.
 *
 * Inline flag groups `(?i)` stay in the tree as `flags` nodes so the source can be rebuilt, and the parser
 * also records on every flag-sensitive leaf (`inline`) which of i/m/s an inline group switched on or off,
 * so translators need not thread flag state through alternations (PCRE carries `(?i)` into later
 * alternatives of the same group, which is easy to get wrong).
 */

/** Inline flag switches in effect at a leaf; an absent key means "as the caller's base flags". */
export interface InlineFlags {
  readonly i?: boolean;
  readonly m?: boolean;
  readonly s?: boolean;
}

export interface Located {
  readonly offset: number;
  readonly end: number;
}

export type EscapeClassName = 'digit' | 'word' | 'space' | 'hspace' | 'vspace';

export type PosixClassName =
  | 'alnum' | 'alpha' | 'ascii' | 'blank' | 'cntrl' | 'digit' | 'graph'
  | 'lower' | 'print' | 'punct' | 'space' | 'upper' | 'word' | 'xdigit';

export type GroupKind =
  | 'capturing'
  | 'named'
  | 'non-capturing'
  | 'atomic'
  | 'lookahead'
  | 'negative-lookahead'
  | 'lookbehind'
  | 'negative-lookbehind';

export type AssertionKind =
  | 'line-start' // ^ (start of value, or of a line under m)
  | 'line-end' // $ (end of value, or of a line under m); we give it RE2/JS meaning: no "before a final newline"
  | 'string-start' // \A
  | 'string-end' // \z
  | 'string-end-newline' // \Z: end, or before a final newline
  | 'word-boundary' // \b
  | 'not-word-boundary'; // \B

export type QuantifierMode = 'greedy' | 'lazy' | 'possessive';

export interface Alternation extends Located {
  readonly kind: 'alternation';
  readonly alternatives: readonly RegexNode[];
}

export interface Sequence extends Located {
  readonly kind: 'sequence';
  readonly items: readonly RegexNode[];
}

export interface Group extends Located {
  readonly kind: 'group';
  readonly group: GroupKind;
  /** 1-based capture number, for `capturing` and `named` groups. */
  readonly index?: number;
  readonly name?: string;
  /** `(?i:...)`: flags switched for the body only. */
  readonly flags?: FlagChange;
  readonly body: RegexNode;
}

export interface Quantifier extends Located {
  readonly kind: 'quantifier';
  readonly min: number;
  /** `undefined` means unbounded. */
  readonly max: number | undefined;
  readonly mode: QuantifierMode;
  readonly body: RegexNode;
}

export interface Char extends Located {
  readonly kind: 'char';
  readonly codePoint: number;
  readonly inline?: InlineFlags;
}

export interface AnyChar extends Located {
  readonly kind: 'any';
  readonly inline?: InlineFlags;
}

export interface EscapeClass extends Located {
  readonly kind: 'escape-class';
  readonly name: EscapeClassName;
  readonly negated: boolean;
}

export interface CharClass extends Located {
  readonly kind: 'class';
  readonly negated: boolean;
  readonly items: readonly ClassItem[];
  readonly inline?: InlineFlags;
}

export type ClassItem =
  | { readonly kind: 'class-char'; readonly codePoint: number; readonly offset: number }
  | { readonly kind: 'class-range'; readonly from: number; readonly to: number; readonly offset: number }
  | { readonly kind: 'class-escape'; readonly name: EscapeClassName; readonly negated: boolean; readonly offset: number }
  | { readonly kind: 'class-posix'; readonly name: PosixClassName; readonly negated: boolean; readonly offset: number };

export interface Assertion extends Located {
  readonly kind: 'assertion';
  readonly assertion: AssertionKind;
  readonly inline?: InlineFlags;
}

export interface Backreference extends Located {
  readonly kind: 'backreference';
  /** Group number, or name for `\k<name>` / `(?P=name)`. */
  readonly ref: number | string;
  readonly inline?: InlineFlags;
}

/** `(?i)` / `(?-i)` / `(?i-s)`: switches flags for the rest of the enclosing group. */
export interface FlagChange {
  readonly on: string;
  readonly off: string;
}

export interface Flags extends Located, FlagChange {
  readonly kind: 'flags';
}

export type RegexNode =
  | Alternation
  | Sequence
  | Group
  | Quantifier
  | Char
  | AnyChar
  | EscapeClass
  | CharClass
  | Assertion
  | Backreference
  | Flags;

/** Flags from the Sigma modifiers (`|i`, `|m`, `|s`): the base that inline groups modify. */
export interface BaseFlags {
  readonly i?: boolean;
  readonly m?: boolean;
  readonly s?: boolean;
}

/** Parses "ims"-style flag letters (as the IR stores them) into BaseFlags. */
export function baseFlags(letters: string): BaseFlags {
  return { i: letters.includes('i'), m: letters.includes('m'), s: letters.includes('s') };
}

export function effective(base: BaseFlags, inline: InlineFlags | undefined, flag: 'i' | 'm' | 's'): boolean {
  return inline?.[flag] ?? base[flag] ?? false;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
