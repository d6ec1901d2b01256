/**
 * BinXML token parser. Turns a chunk's binary XML (record fragments and template definitions) into a
 * plain tree of template nodes: elements, text, typed values, substitution slots and template instances
 * with their decoded substitution values. It does not resolve substitutions (see instantiate.ts).
 *
 * Key decision: a template definition is parsed once per chunk and cached by its chunk offset, so each
 * record only pays for its substitution values. All offsets are chunk-relative, so a chunk can be decoded
 * alone (on a worker) from its 64 KiB.
 */
import { DecodeError, u16, u32, utf16At } from './bytes';
import { decodeInlineValue, decodeSizedValue, EvtxValue, ValueType } from './values';

/** Limits against hostile input: nested templates (BinXml values) and element depth. */
export const MAX_TEMPLATE_NESTING = 32;
export const MAX_ELEMENT_DEPTH = 256;

const Token = {
  EndOfFragment: 0x00,
  OpenStartElement: 0x01,
  CloseStartElement: 0x02,
  CloseEmptyElement: 0x03,
  EndElement: 0x04,
  Value: 0x05,
  Attribute: 0x06,
  CDataSection: 0x07,
  CharRef: 0x08,
  EntityRef: 0x09,
  PITarget: 0x0a,
  PIData: 0x0b,
  TemplateInstance: 0x0c,
  NormalSubstitution: 0x0d,
  OptionalSubstitution: 0x0e,
  FragmentHeader: 0x0f,
} as const;

/** The 0x40 bit marks "has attributes" on OpenStartElement and "more follows" elsewhere. */
const MORE_BIT = 0x40;

export type TNode = TElement | TText | TValue | TSubst | TTemplateInstance;

export interface TElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attrs: readonly TAttr[];
  readonly children: readonly TNode[];
}
export interface TAttr {
  readonly name: string;
  readonly value: readonly TNode[];
}
export interface TText {
  readonly kind: 'text';
  readonly text: string;
}
export interface TValue {
  readonly kind: 'value';
  readonly value: EvtxValue;
}
export interface TSubst {
  readonly kind: 'subst';
  readonly index: number;
  readonly optional: boolean;
  readonly valueType: number;
}
export interface TTemplateInstance {
  readonly kind: 'template';
  readonly template: Template;
  readonly values: readonly SubstValue[];
}

export interface Template {
  readonly offset: number;
  readonly nodes: readonly TNode[];
}

/** A BinXml-typed substitution value: a nested fragment spliced in where the substitution stands. */
export class Fragment {
  constructor(readonly nodes: readonly TNode[]) {}
}

export type SubstValue = EvtxValue | Fragment;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Per-chunk parsing state: the chunk bytes and the name and template caches. */
export class ChunkParser {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, Template | null>();
  private pos = 0;
  private end = 0;
  private templateDepth = 0;

  constructor(readonly bytes: Uint8Array) {}

  /** Parses the BinXML of one record, bytes [start, end) of the chunk. */
  parseRecord(start: number, end: number): TNode[] {
    this.pos = start;
    this.end = end;
    this.templateDepth = 0;
    return this.parseFragment(0);
  }

  private fail(message: string, at = this.pos): never {
    throw new DecodeError(message, at);
  }

  private need(n: number): void {
    if (this.pos + n > this.end) this.fail(`unexpected end of BinXML (need ${n} bytes)`);
  }

  private byte(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  private word(): number {
    this.need(2);
    const v = u16(this.bytes, this.pos);
    this.pos += 2;
    return v;
  }

  private dword(): number {
    this.need(4);
    const v = u32(this.bytes, this.pos);
    this.pos += 4;
    return v;
  }

  /** A name reference; when it points at the current position the name is stored inline and skipped. */
  private name(): string {
    const offset = this.dword();
    const inline = offset === this.pos;
    const cached = this.names.get(offset);
    if (cached !== undefined) {
      if (inline) this.pos += 10 + 2 * u16(this.bytes, offset + 6);
      return cached;
    }
    // Name: next offset u32, hash u16, length u16 (code units), UTF-16 text, NUL.
    if (offset + 8 > this.bytes.length) this.fail(`name offset ${offset} outside the chunk`);
    const units = u16(this.bytes, offset + 6);
    if (offset + 10 + 2 * units > this.bytes.length) this.fail(`name at ${offset} extends past the chunk`);
    const name = utf16At(this.bytes, offset + 8, units);
    this.names.set(offset, name);
    if (inline) {
      this.pos += 10 + 2 * units;
      if (this.pos > this.end) this.fail('inline name extends past the fragment');
    }
    return name;
  }

  /** Fragment: optional header, then one element or template instance, until end-of-fragment or the end. */
  private parseFragment(depth: number): TNode[] {
    const out: TNode[] = [];
    while (this.pos < this.end) {
      const tokenAt = this.pos;
      const token = this.byte();
      switch (token & ~MORE_BIT) {
        case Token.EndOfFragment:
          return out;
        case Token.FragmentHeader:
          this.need(3);
          this.pos += 3;
          break;
        case Token.TemplateInstance:
          out.push(this.templateInstance());
          break;
        case Token.OpenStartElement:
          out.push(this.element(token, depth));
          break;
        default:
          if (!this.content(token, out)) this.fail(`unexpected token 0x${token.toString(16)} in fragment`, tokenAt);
      }
    }
    return out;
  }

  /** Content tokens shared by element bodies, attribute values and fragments. False if `token` is not one. */
  private content(token: number, out: TNode[]): boolean {
    switch (token & ~MORE_BIT) {
      case Token.Value: {
        const type = this.byte();
        const { value, length } = decodeInlineValue(this.bytes, this.pos, type);
        this.pos += length;
        if (this.pos > this.end) this.fail('value extends past the fragment');
        out.push(typeof value === 'string' ? { kind: 'text', text: value } : { kind: 'value', value });
        return true;
      }
      case Token.NormalSubstitution:
      case Token.OptionalSubstitution: {
        const index = this.word();
        const valueType = this.byte();
        out.push({ kind: 'subst', index, optional: (token & ~MORE_BIT) === Token.OptionalSubstitution, valueType });
        return true;
      }
      case Token.CDataSection: {
        const units = this.word();
        this.need(2 * units);
        out.push({ kind: 'text', text: utf16At(this.bytes, this.pos, units) });
        this.pos += 2 * units;
        return true;
      }
      case Token.CharRef:
        out.push({ kind: 'text', text: String.fromCharCode(this.word()) });
        return true;
      case Token.EntityRef: {
        const name = this.name();
        out.push({ kind: 'text', text: ENTITIES[name] ?? `&${name};` });
        return true;
      }
      case Token.PITarget:
        this.name();
        return true;
      case Token.PIData: {
        const units = this.word();
        this.need(2 * units);
        this.pos += 2 * units;
        return true;
      }
      default:
        return false;
    }
  }

  private element(token: number, depth: number): TElement {
    if (depth >= MAX_ELEMENT_DEPTH) this.fail(`elements nested deeper than ${MAX_ELEMENT_DEPTH}`);
    const start = this.pos - 1;
    this.word(); // dependency identifier
    this.dword(); // data size
    const name = this.name();
    if (token & MORE_BIT) this.dword(); // attribute list size
    const attrs: TAttr[] = [];
    for (;;) {
      const at = this.pos;
      const t = this.byte();
      switch (t & ~MORE_BIT) {
        case Token.Attribute:
          attrs.push(this.attribute());
          continue;
        case Token.CloseEmptyElement:
          return { kind: 'element', name, attrs, children: [] };
        case Token.CloseStartElement:
          return { kind: 'element', name, attrs, children: this.children(depth) };
        default:
          this.fail(`unexpected token 0x${t.toString(16)} in start tag of <${name}> at ${start}`, at);
      }
    }
  }

  private attribute(): TAttr {
    const name = this.name();
    const value: TNode[] = [];
    while (this.pos < this.end) {
      const t = this.bytes[this.pos]!;
      const base = t & ~MORE_BIT;
      if (base === Token.Attribute || base === Token.CloseStartElement || base === Token.CloseEmptyElement) break;
      this.pos++;
      if (!this.content(t, value)) this.fail(`unexpected token 0x${t.toString(16)} in attribute ${name}`, this.pos - 1);
    }
    return { name, value };
  }

  private children(depth: number): TNode[] {
    const out: TNode[] = [];
    for (;;) {
      const at = this.pos;
      const t = this.byte();
      switch (t & ~MORE_BIT) {
        case Token.EndElement:
          return out;
        case Token.OpenStartElement:
          out.push(this.element(t, depth + 1));
          break;
        case Token.TemplateInstance:
          out.push(this.templateInstance());
          break;
        default:
          if (!this.content(t, out)) this.fail(`unexpected token 0x${t.toString(16)} in element content`, at);
      }
    }
  }

  private templateInstance(): TTemplateInstance {
    this.byte(); // unknown, always 1
    this.dword(); // template identifier
    const defOffset = this.dword();
    const template = this.template(defOffset);
    if (defOffset === this.pos) {
      // Definition stored inline: skip next-offset, GUID, size and body.
      this.pos = defOffset + 24 + u32(this.bytes, defOffset + 20);
      if (this.pos > this.end) this.fail('inline template definition extends past the fragment');
    }
    const count = this.dword();
    this.need(4 * count);
    const descriptors = this.pos;
    this.pos += 4 * count;
    const values: SubstValue[] = new Array<SubstValue>(count);
    for (let i = 0; i < count; i++) {
      const size = u16(this.bytes, descriptors + 4 * i);
      const type = this.bytes[descriptors + 4 * i + 2]!;
      this.need(size);
      values[i] = type === ValueType.BinXml ? this.nestedFragment(size) : decodeSizedValue(this.bytes, this.pos, size, type);
      this.pos += size;
    }
    return { kind: 'template', template, values };
  }

  private nestedFragment(size: number): Fragment {
    if (this.templateDepth >= MAX_TEMPLATE_NESTING) this.fail(`BinXml values nested deeper than ${MAX_TEMPLATE_NESTING}`);
    const savedPos = this.pos;
    const savedEnd = this.end;
    this.end = this.pos + size;
    this.templateDepth++;
    try {
      return new Fragment(this.parseFragment(0));
    } finally {
      this.templateDepth--;
      this.pos = savedPos;
      this.end = savedEnd;
    }
  }

  /** The template defined at `offset`, parsed on first use. */
  private template(offset: number): Template {
    const cached = this.templates.get(offset);
    if (cached) return cached;
    if (cached === null) this.fail(`template at ${offset} refers to itself`);
    if (offset + 24 > this.bytes.length) this.fail(`template offset ${offset} outside the chunk`);
    const size = u32(this.bytes, offset + 20);
    const bodyEnd = offset + 24 + size;
    if (bodyEnd > this.bytes.length) this.fail(`template at ${offset} extends past the chunk`);
    const savedPos = this.pos;
    const savedEnd = this.end;
    this.templates.set(offset, null);
    this.pos = offset + 24;
    this.end = bodyEnd;
    try {
      const template: Template = { offset, nodes: this.parseFragment(0) };
      this.templates.set(offset, template);
      return template;
    } catch (e) {
      this.templates.delete(offset);
      throw e;
    } finally {
      this.pos = savedPos;
      this.end = savedEnd;
    }
  }
}
