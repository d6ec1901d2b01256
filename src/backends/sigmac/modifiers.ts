/**
 * sigmac's value modifiers, applied left to right while a detection map is parsed. Only the modifiers
 * sigmac knew exist; any other name is the uncaught `KeyError` sigmac crashes with. `base64offset` and
 * `windash` yield an OR node (spliced into the map's AND by the parser), `re` yields a type-modifier
 * object the backends must handle, the utf16 family yields bytes.
 */
import { and, or, str, type LNode } from './legacy-tree';
import { SigmacError } from './sigmac-error';

const valueTypeError = () => new SigmacError('SigmaModifierValueTypeError', '');

type Transform = (value: LNode) => LNode;

/** ListOrStringModifierMixin: strings are transformed, lists item by item (nested lists flattened). */
function listOrString(applyStr: (v: LNode) => LNode, accepts: (v: LNode) => boolean = (v) => v.kind === 'str' || v.kind === 'list'): Transform {
  return (value) => {
    if (!accepts(value)) throw valueTypeError();
    if (value.kind === 'list') {
      const out: LNode[] = [];
      for (const item of value.items) {
        const r = applyStr(item);
        if (r.kind === 'list') out.push(...r.items);
        else out.push(r);
      }
      return { kind: 'list', items: out };
    }
    if (value.kind === 'and' || value.kind === 'or') {
      // A node from base64offset/windash: sigmac transforms its values in place.
      value.items = value.items.map(applyStr);
      return value;
    }
    return applyStr(value);
  };
}

const stringOrNode = (v: LNode) => v.kind === 'str' || v.kind === 'list' || v.kind === 'and' || v.kind === 'or';

/** Appends `*`, or `\*` after a trailing backslash so the Sigma escape survives. */
function appendWildcard(s: string): string {
  if (s.endsWith('*')) return s;
  return s.endsWith('\\') ? s + '\\*' : s + '*';
}

function noStringMethod(method: string) {
  return (v: LNode): never => {
    const t = v.kind === 'int' ? 'int' : v.kind;
    throw new SigmacError('AttributeError', `'${t}' object has no attribute '${method}'`);
  };
}

const contains = listOrString((v) => {
  if (v.kind !== 'str') return v; // sigmac swallows the AttributeError for non-strings here
  let s = v.value;
  if (!s.startsWith('*')) s = '*' + s;
  return str(appendWildcard(s));
}, stringOrNode);

const startswith = listOrString((v) => (v.kind === 'str' ? str(appendWildcard(v.value)) : noStringMethod('endswith')(v)), stringOrNode);

const endswith = listOrString((v) => (v.kind === 'str' ? str(v.value.startsWith('*') ? v.value : '*' + v.value) : noStringMethod('startswith')(v)), stringOrNode);

const all: Transform = (value) => {
  if (value.kind === 'list') return and([...value.items]);
  if (value.kind === 'and' || value.kind === 'or') return and([...value.items]);
  throw valueTypeError();
};

function toBytes(v: LNode): Buffer {
  if (v.kind === 'bytes') return Buffer.from(v.bytes);
  if (v.kind === 'str') return Buffer.from(v.value, 'utf8');
  throw new SigmacError('AttributeError', `'${v.kind}' object has no attribute 'encode'`);
}

const bytesOrString = (v: LNode) => v.kind === 'str' || v.kind === 'list' || v.kind === 'bytes';

const base64 = listOrString((v) => str(toBytes(v).toString('base64')), bytesOrString);

const START_OFFSETS = [0, 2, 3] as const;
const END_OFFSETS = [undefined, -3, -2] as const;

const base64offset = listOrString((v) => {
  const val = toBytes(v);
  const items: LNode[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), val]).toString('base64');
    const end = END_OFFSETS[(val.length + i) % 3];
    items.push(str(enc.slice(START_OFFSETS[i], end)));
  }
  return or(items);
}, bytesOrString);

const WINDASH = /\B[-/]\b/gu;

const windash = listOrString((v) => {
  if (v.kind !== 'str') throw noStringMethod('finditer')(v);
  const s = v.value;
  const locations = [...s.matchAll(WINDASH)].map((m) => m.index ?? 0);
  if (locations.length === 0) return v;
  const expand = (locs: number[], offset: number): string[] => {
    const i = locs[0]!;
    const rest = locs.length === 1 ? [s.slice(i + 1)] : expand(locs.slice(1), i + 1);
    return ['-', '/'].flatMap((d) => rest.map((r) => s.slice(offset, i) + d + r));
  };
  return or(expand(locations, 0).map(str));
});

function encode(encoding: 'utf-16' | 'utf-16le' | 'utf-16be'): Transform {
  return listOrString((v) => {
    if (v.kind !== 'str') throw noStringMethod('encode')(v);
    const le = Buffer.from(v.value, 'utf16le');
    let bytes: number[];
    if (encoding === 'utf-16be') bytes = [...Buffer.from(le).swap16()];
    else if (encoding === 'utf-16') bytes = [0xff, 0xfe, ...le]; // Python writes a BOM, native (little-endian) order
    else bytes = [...le];
    return { kind: 'bytes', bytes };
  });
}

const re: Transform = (value) => {
  if (value.kind !== 'str') throw valueTypeError();
  return { kind: 'typed', identifier: 're', value: value.value };
};

const MODIFIERS: Readonly<Record<string, Transform>> = {
  contains,
  startswith,
  endswith,
  all,
  base64,
  base64offset,
  windash,
  utf16: encode('utf-16'),
  utf16le: encode('utf-16le'),
  wide: encode('utf-16le'),
  utf16be: encode('utf-16be'),
  re,
};

export function applyModifiers(value: LNode, names: readonly string[]): LNode {
  let v = value;
  for (const name of names) {
    const m = Object.prototype.hasOwnProperty.call(MODIFIERS, name) ? MODIFIERS[name] : undefined;
    if (!m) throw new SigmacError('KeyError', `'${name}'`);
    v = m(v);
  }
  return v;
}
