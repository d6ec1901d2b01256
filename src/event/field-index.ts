/**
 * How Sigma field names are found in a parsed JSON event. Built once per event, shared by the reference
 * evaluator and the engine so both read events the same way.
 *
 * - `keys`: a field is a key of that name at any depth; every value under it counts, and so does each
 *   scalar element of an array under it (`"Tags": ["a", "b"]` has the values a and b). This is what a
 *   grep one-liner can see, and the default of the reference evaluator.
 * - `sigma`: `keys`, plus the names Sigma rules use for other shapes of the same data:
 *   evtx_dump attributes (`Provider: {"#attributes": {Name}}` → `Provider_Name`), elements with text
 *   (`EventID: {"#text": 4688}` → `EventID`), Winlogbeat/ECS (`winlog.event_id` → `EventID`,
 *   `winlog.channel` → `Channel`, ...), names with spaces written without them (Defender's
 *   `Threat Name` → `ThreatName`), and JSON held in a string (Azure's `EventData`).
 */
import type { FieldResolution } from '../plan/types';

/** Winlogbeat/ECS `winlog.*` names → Sigma names. `winlog.event_data.*` needs nothing: its keys are the fields. */
export const WINLOG_ALIASES: Readonly<Record<string, string>> = {
  event_id: 'EventID',
  channel: 'Channel',
  provider_name: 'Provider_Name',
  computer_name: 'Computer',
  record_id: 'EventRecordID',
  task: 'Task',
  opcode: 'Opcode',
  version: 'Version',
};

const ATTRIBUTES = '#attributes';
const TEXT = '#text';

export class FieldIndex {
  /** First value under each name; a name seen again moves to `more` (rare: most names occur once). */
  private readonly first: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private more: Record<string, unknown[]> | undefined;
  private stringCache: string[] | undefined;

  constructor(
    private readonly event: unknown,
    private readonly resolution: FieldResolution = 'keys',
  ) {
    this.walk(event, undefined);
  }

  values(field: string): readonly unknown[] {
    const many = this.more?.[field];
    if (many) return many;
    return field in this.first ? [this.first[field]] : NONE;
  }

  has(field: string): boolean {
    return field in this.first;
  }

  /** Every string value of the event (for keywords); collected on first use. */
  get strings(): readonly string[] {
    if (!this.stringCache) {
      this.stringCache = [];
      collectStrings(this.event, this.stringCache, this.resolution === 'sigma');
    }
    return this.stringCache;
  }

  /** Adds a value under a name; the scalar elements of an array value count as values too. */
  private add(key: string, value: unknown): void {
    this.addOne(key, value);
    if (Array.isArray(value)) for (const item of value) if (item === null || typeof item !== 'object') this.addOne(key, item);
  }

  private addOne(key: string, value: unknown): void {
    if (!(key in this.first)) {
      this.first[key] = value;
      return;
    }
    const more = (this.more ??= Object.create(null) as Record<string, unknown[]>);
    const list = more[key];
    if (list) list.push(value);
    else more[key] = [this.first[key], value];
  }

  private walk(v: unknown, parentKey: string | undefined): void {
    // A JSON line may be a bare string or number: `for...in` over a string would list its indexes as keys.
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (const item of v) {
        if (typeof item === 'object' && item !== null) this.walk(item, parentKey);
        else if (this.resolution === 'sigma' && typeof item === 'string' && looksLikeJsonObject(item)) this.walkEmbeddedJson(item);
      }
      return;
    }
    const obj = v as Record<string, unknown>;
    if (this.resolution !== 'sigma') {
      for (const k in obj) {
        const child = obj[k];
        this.add(k, child);
        if (typeof child === 'object' && child !== null) this.walk(child, k);
      }
      return;
    }
    for (const k in obj) {
      const child = obj[k];
      this.add(k, child);
      // Some providers (Defender) name their data "Threat Name"; Sigma writes ThreatName.
      if (k.indexOf(' ') >= 0) this.add(k.replace(/ /g, ''), child);
      if (parentKey === 'winlog') {
        const alias = WINLOG_ALIASES[k];
        if (alias !== undefined) this.add(alias, child);
      }
      if (typeof child === 'string') {
        if (looksLikeJsonObject(child)) this.walkEmbeddedJson(child);
      } else if (typeof child === 'object' && child !== null) {
        if (!Array.isArray(child)) this.addElementNames(k, child as Record<string, unknown>);
        this.walk(child, k);
      }
    }
  }

  /** evtx_dump element forms: `K: {"#attributes": {A: v}}` → `K_A`, and `K: {"#text": v}` → `K`. */
  private addElementNames(key: string, obj: Record<string, unknown>): void {
    const attrs = obj[ATTRIBUTES];
    if (attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs)) {
      for (const name in attrs as Record<string, unknown>) this.add(`${key}_${name}`, (attrs as Record<string, unknown>)[name]);
    }
    if (TEXT in obj) this.add(key, obj[TEXT]);
  }

  private walkEmbeddedJson(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return; // a string that only looks like JSON stays a string
    }
    this.walk(parsed, undefined);
  }
}

/** `{"...}`: an object with a key. A GUID in braces (`{6a910b9d-...}`) is not, and is common. */
function looksLikeJsonObject(s: string): boolean {
  if (s.length < 2 || s.charCodeAt(0) !== 0x7b || s.charCodeAt(s.length - 1) !== 0x7d) return false;
  let i = 1;
  while (i < s.length && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x0a || s.charCodeAt(i) === 0x0d || s.charCodeAt(i) === 0x09)) i++;
  return s.charCodeAt(i) === 0x22;
}

function collectStrings(v: unknown, out: string[], embedded: boolean): void {
  if (typeof v === 'string') {
    out.push(v);
    if (embedded && looksLikeJsonObject(v)) {
      try {
        collectStrings(JSON.parse(v), out, embedded);
      } catch {
        // not JSON after all
      }
    }
    return;
  }
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (const item of v) collectStrings(item, out, embedded);
    return;
  }
  for (const k in v as Record<string, unknown>) collectStrings((v as Record<string, unknown>)[k], out, embedded);
}

const NONE: readonly unknown[] = [];
