/**
 * How Sigma field names are found in a parsed JSON event. Built once per event, shared by the reference
 * evaluator and the engine so both read events the same way.
 *
 * - `keys`: a field is a key of that name at any depth; every value under it counts. This is what a
 *   grep one-liner can see, and the default of the reference evaluator.
 * - `sigma`: `keys`, plus the names Sigma rules use for other shapes of the same data:
 *   evtx_dump attributes (`Provider: {"#attributes": {Name}}` → `Provider_Name`), elements with text
 *   (`EventID: {"#text": 4688}` → `EventID`), Winlogbeat/ECS (`winlog.event_id` → `EventID`,
 *   `winlog.channel` → `Channel`, ...), names with spaces written without them (Defender's
 *   `Threat Name` → `ThreatName`), and JSON held in a string (Azure's `EventData`).
 */
import type { FieldResolution } from '../plan/types';

/** Winlogbeat/ECS `winlog.*` names → Sigma names. `winlog.event_data.*` needs nothing: its keys are the fields. */
const WINLOG_ALIASES: Readonly<Record<string, string>> = {
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
  private readonly byKey = new Map<string, unknown[]>();
  /** Every string value of the event, for keywords. */
  readonly strings: string[] = [];

  constructor(event: unknown, private readonly resolution: FieldResolution = 'keys') {
    this.walk(event, undefined);
  }

  values(field: string): readonly unknown[] {
    return this.byKey.get(field) ?? NONE;
  }

  has(field: string): boolean {
    return this.byKey.has(field);
  }

  private add(key: string, value: unknown): void {
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    list.push(value);
  }

  private walk(v: unknown, parentKey: string | undefined): void {
    if (Array.isArray(v)) {
      for (const item of v) this.walk(item, parentKey);
      return;
    }
    if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      for (const k in obj) {
        const child = obj[k];
        this.add(k, child);
        if (this.resolution === 'sigma') this.addSigmaNames(k, child, parentKey);
        this.walk(child, k);
      }
      return;
    }
    if (typeof v === 'string') {
      this.strings.push(v);
      if (this.resolution === 'sigma' && v.length > 1 && v.charCodeAt(0) === 0x7b && v.charCodeAt(v.length - 1) === 0x7d) {
        this.walkEmbeddedJson(v);
      }
    }
  }

  private addSigmaNames(key: string, child: unknown, parentKey: string | undefined): void {
    // Some providers (Defender) name their data "Threat Name"; Sigma writes ThreatName.
    if (key.includes(' ')) this.add(key.replace(/ /g, ''), child);
    if (parentKey === 'winlog') {
      const alias = WINLOG_ALIASES[key];
      if (alias !== undefined) this.add(alias, child);
    }
    if (child === null || typeof child !== 'object' || Array.isArray(child)) return;
    const obj = child as Record<string, unknown>;
    const attrs = obj[ATTRIBUTES];
    if (attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs)) {
      for (const [name, value] of Object.entries(attrs as Record<string, unknown>)) this.add(`${key}_${name}`, value);
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

const NONE: readonly unknown[] = [];
