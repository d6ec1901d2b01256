/**
 * Template instantiation: replaces substitution slots with the instance's values and splices nested
 * BinXml fragments in, producing the record's resolved element tree.
 *
 * Key decision: an array value that is substituted into an element is expanded by repeating the
 * element once per item (MS-EVEN6 "Array Types", and what evtx_dump does): `<Data>%1</Data>` with
 * ["a","b"] becomes two Data elements. A one-item array stands for its item.
 */
import { DecodeError } from './bytes';
import { Fragment, SubstValue, TElement, TNode } from './binxml';
import { EvtxValue } from './values';

/** A resolved element. Content is either a child element or a value (text is a string value). */
export class RElement {
  constructor(
    readonly name: string,
    readonly attrs: readonly RAttr[],
    readonly children: readonly RContent[],
    readonly hasElementChild: boolean,
  ) {}
}

export interface RAttr {
  readonly name: string;
  readonly content: readonly EvtxValue[];
}

export type RContent = RElement | EvtxValue;

/** Resolves `nodes` (with the substitution `values` of the template they belong to) into `out`. */
export function instantiate(nodes: readonly TNode[], values: readonly SubstValue[] | null, out: RContent[]): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out.push(node.text);
        break;
      case 'value':
        out.push(node.value);
        break;
      case 'subst': {
        const v = values?.[node.index] ?? null;
        if (v instanceof Fragment) instantiate(v.nodes, null, out);
        else out.push(v);
        break;
      }
      case 'template':
        instantiate(node.template.nodes, node.values, out);
        break;
      case 'element':
        pushExpanded(resolveElement(node, values), out);
        break;
      default:
        return assertNever(node);
    }
  }
}

function assertNever(x: never): never {
  throw new DecodeError(`unknown node ${JSON.stringify(x)}`, 0);
}

function resolveElement(node: TElement, values: readonly SubstValue[] | null): RElement {
  const attrs: RAttr[] = [];
  for (const attr of node.attrs) {
    const content: RContent[] = [];
    instantiate(attr.value, values, content);
    // Elements cannot live in an attribute value; a nested fragment contributes only its text.
    attrs.push({ name: attr.name, content: content.filter((c): c is EvtxValue => !(c instanceof RElement)) });
  }
  const children: RContent[] = [];
  instantiate(node.children, values, children);
  let hasElementChild = false;
  for (const c of children) {
    if (c instanceof RElement) {
      hasElementChild = true;
      break;
    }
  }
  return new RElement(node.name, attrs, children, hasElementChild);
}

/** Pushes `el`, or one copy per item when it holds an array value of more than one item. */
function pushExpanded(el: RElement, out: RContent[]): void {
  const childIndex = el.children.findIndex((c) => Array.isArray(c));
  if (childIndex >= 0) {
    const items = el.children[childIndex] as readonly EvtxValue[];
    if (items.length <= 1) {
      const children = el.children.slice();
      children[childIndex] = items[0] ?? null;
      pushExpanded(new RElement(el.name, el.attrs, children, el.hasElementChild), out);
      return;
    }
    for (const item of items) {
      const children = el.children.slice();
      children[childIndex] = item;
      pushExpanded(new RElement(el.name, el.attrs, children, el.hasElementChild), out);
    }
    return;
  }
  for (let a = 0; a < el.attrs.length; a++) {
    const attr = el.attrs[a]!;
    const valueIndex = attr.content.findIndex((c) => Array.isArray(c));
    if (valueIndex < 0) continue;
    const items = attr.content[valueIndex] as readonly EvtxValue[];
    const variants = items.length <= 1 ? [items[0] ?? null] : items;
    for (const item of variants) {
      const content = attr.content.slice();
      content[valueIndex] = item;
      const attrs = el.attrs.slice();
      attrs[a] = { name: attr.name, content };
      pushExpanded(new RElement(el.name, attrs, el.children, el.hasElementChild), out);
    }
    return;
  }
  out.push(el);
}
