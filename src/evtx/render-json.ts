/**
 * Renders a resolved element tree in evtx_dump's JSON shape:
 * - an element with neither child elements nor attributes (with content) is its value: `"Level": 4`,
 *   `null` when it has no content;
 * - otherwise an object with `#attributes` (attributes with content only), `#text` (its text content
 *   when it also has attributes or child elements) and its child elements; a repeated child name gets
 *   `_1`, `_2`... suffixes;
 * - in `EventData` and `UserData`, `Data` elements with a `Name` attribute are flattened to
 *   `{ Name: value }` (an empty Data is `""`); when none has a Name, they become `"Data": {"#text": v}`
 *   (an array when there are several);
 * - a single typed value keeps its JSON type (numbers, booleans, arrays); mixed content is concatenated text.
 */
import { RAttr, RContent, RElement } from './instantiate';
import { EvtxValue, isEmptyValue, valueJson, valueText } from './values';

type Json = unknown;
type JsonObject = Record<string, Json>;

export function renderRecord(root: RElement): JsonObject {
  return { [root.name]: elementValue(root, false) };
}

function isContainer(name: string): boolean {
  return name === 'EventData' || name === 'UserData';
}

/** Whether `content` holds a non-empty value (child elements do not count). */
function hasText(content: readonly RContent[]): boolean {
  for (const c of content) if (!(c instanceof RElement) && !isEmptyValue(c)) return true;
  return false;
}

/** The JSON value of non-element content: the value itself when it is the only one, else the joined text. */
function contentValue(content: readonly RContent[]): Json {
  let single: EvtxValue | undefined;
  let count = 0;
  for (const c of content) {
    if (c instanceof RElement || isEmptyValue(c)) continue;
    single = c;
    count++;
  }
  if (count === 1) return valueJson(single as EvtxValue);
  let s = '';
  for (const c of content) if (!(c instanceof RElement)) s += valueText(c);
  return s;
}

function hasAttrWithText(attrs: readonly RAttr[]): boolean {
  for (const a of attrs) if (hasText(a.content)) return true;
  return false;
}

function elementValue(el: RElement, container: boolean): Json {
  if (!el.hasElementChild && !hasAttrWithText(el.attrs)) {
    return hasText(el.children) ? contentValue(el.children) : null;
  }
  return elementBody(el, container);
}

function nameAttrText(el: RElement): string | undefined {
  for (const a of el.attrs) {
    if (a.name === 'Name') {
      let text = '';
      for (const c of a.content) text += valueText(c);
      return text === '' ? undefined : text;
    }
  }
  return undefined;
}

function dataValue(el: RElement): Json {
  if (el.hasElementChild) return elementBody(el, false);
  return hasText(el.children) ? contentValue(el.children) : '';
}

/** Puts `value` under `key`, or `key_1`, `key_2`... when the key is taken (repeated child names). */
function putUnique(obj: JsonObject, key: string, value: Json): void {
  let k = key;
  for (let n = 1; Object.prototype.hasOwnProperty.call(obj, k); n++) k = `${key}_${n}`;
  // A Data Name of "__proto__" must become a key, not replace the object's prototype.
  if (k === '__proto__') Object.defineProperty(obj, k, { value, enumerable: true, writable: true, configurable: true });
  else obj[k] = value;
}

function elementBody(el: RElement, container: boolean): JsonObject {
  const obj: JsonObject = {};
  if (el.attrs.length > 0) {
    let attrs: JsonObject | undefined;
    for (const a of el.attrs) {
      if (!hasText(a.content)) continue;
      (attrs ??= {})[a.name] = contentValue(a.content);
    }
    if (attrs) obj['#attributes'] = attrs;
  }
  if (hasText(el.children)) obj['#text'] = contentValue(el.children);

  let flatten = false;
  const positional: RElement[] = [];
  if (container) {
    for (const c of el.children) {
      if (!(c instanceof RElement) || c.name !== 'Data') continue;
      if (nameAttrText(c) !== undefined) flatten = true;
      positional.push(c);
    }
  }
  let positionalDone = false;
  for (const c of el.children) {
    if (!(c instanceof RElement)) continue;
    if (container && c.name === 'Data') {
      if (flatten) {
        const name = nameAttrText(c);
        if (name !== undefined) putUnique(obj, name, dataValue(c));
      } else if (!positionalDone) {
        positionalDone = true;
        obj['Data'] = { '#text': positional.length === 1 ? dataValue(c) : positional.map(dataValue) };
      }
      continue;
    }
    putUnique(obj, c.name, elementValue(c, isContainer(c.name)));
  }
  return obj;
}
