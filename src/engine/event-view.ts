/**
 * One event as the leaf matchers see it: field values through the shared FieldIndex, and their text
 * (lowercased once per event and field when a case-insensitive leaf asks). A text line has no fields;
 * keywords see the whole line.
 */
import { FieldIndex } from '../event/field-index';
import { scalarText } from '../event/value-semantics';
import type { FieldResolution } from '../plan/types';

export class EventView {
  private index: FieldIndex | undefined;
  private readonly textCache = new Map<string, readonly string[]>();
  private readonly lowerCache = new Map<string, readonly string[]>();
  private keywordCache: readonly string[] | undefined;
  private keywordLowerCache: readonly string[] | undefined;

  private constructor(
    private readonly event: unknown,
    private readonly line: string | undefined,
    private readonly resolution: FieldResolution,
  ) {}

  static json(event: unknown, resolution: FieldResolution): EventView {
    return new EventView(event, undefined, resolution);
  }

  static text(line: string): EventView {
    return new EventView(undefined, line, 'keys');
  }

  private fields(): FieldIndex | undefined {
    if (this.line !== undefined) return undefined;
    return (this.index ??= new FieldIndex(this.event, this.resolution));
  }

  values(field: string): readonly unknown[] {
    return this.fields()?.values(field) ?? NONE;
  }

  has(field: string): boolean {
    return this.fields()?.has(field) ?? false;
  }

  /** Texts of the field's scalar values; lowercased unless `cased`. */
  texts(field: string, cased: boolean): readonly string[] {
    const cache = cased ? this.textCache : this.lowerCache;
    let t = cache.get(field);
    if (t === undefined) {
      const raw = this.textCache.get(field) ?? this.values(field).map(scalarText).filter((s): s is string => s !== undefined);
      if (!this.textCache.has(field)) this.textCache.set(field, raw);
      t = cased ? raw : raw.map((s) => s.toLowerCase());
      cache.set(field, t);
    }
    return t;
  }

  /** What a keyword searches: every string value of a JSON event, or the text line. */
  keywordTexts(cased: boolean): readonly string[] {
    if (this.keywordCache === undefined) this.keywordCache = this.line !== undefined ? [this.line] : (this.fields()?.strings ?? NONE_TEXT);
    if (cased) return this.keywordCache;
    return (this.keywordLowerCache ??= this.keywordCache.map((s) => s.toLowerCase()));
  }
}

const NONE: readonly unknown[] = [];
const NONE_TEXT: readonly string[] = [];
