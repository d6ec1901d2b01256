/**
 * Loads the N-API addon (native-bindings/) and adapts it to the LinePrefilter contract. Loading is tried
 * once per thread and the outcome remembered, so asking whether native is available is cheap and honest.
 * It must not guess: a missing or broken addon is reported with the reason the load failed.
 */

import * as path from 'node:path';
import { checkDeadPairs, checkTriggers } from './gate-tuples';
import { MAX_CHUNK_BYTES, type FramedChunk, type GateField, type LinePrefilter } from './types';
import { PROJECT_ROOT } from '../../util/code-location';

/** The addon's own surface, as native-bindings/src/line_prefilter.cc defines it. */
interface NativeAddon {
  readonly abiVersion: number;
  /** `flags`: bit 0 set validates JSON lines (fills `jsonStatus`); bit 6 reads gates on every line, not only candidates. */
  readonly LinePrefilter: new (literalBytes: Uint8Array, literalOffsets: Uint32Array, flags: number, gates: readonly GateField[]) => NativeInstance;
}

interface NativeInstance {
  readonly literalCount: number;
  frame(bytes: Uint8Array, countLiterals: boolean): FramedChunk;
  setTriggers(ids: Uint32Array | undefined): void;
  setDeadPairs(tupleKeys: Float64Array, literals: Uint32Array): void;
}

/** Bumped together with `abiVersion` in the addon whenever the call shape changes. */
const EXPECTED_ABI_VERSION = 4;
const FLAG_VALIDATE_JSON = 1;
const FLAG_GATES_ON_EVERY_LINE = 64;
const ADDON_FILE = 'sigrep_line_prefilter.node';

export type NativeAvailability =
  | { readonly kind: 'available'; readonly path: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Thrown when the native engine is asked for explicitly and the addon cannot be loaded. */
export class NativePrefilterUnavailableError extends Error {
  readonly code = 'NATIVE_PREFILTER_UNAVAILABLE';
  constructor(readonly reason: string) {
    super(
      `native line prefilter requested but unavailable: ${reason} ` +
        `(build it with "node native-bindings/build.js", or use engine 'js' or 'auto')`,
    );
    this.name = 'NativePrefilterUnavailableError';
  }
}

let loaded: { readonly addon: NativeAddon | undefined; readonly availability: NativeAvailability } | undefined;

/** Disables the native engine ('off'), or names the addon file to load instead of the built one. */
export const NATIVE_PREFILTER_ENV = 'SIGREP_NATIVE_PREFILTER';

/** Addon paths to try: the override if set, else the Release then Debug build under the project root. */
function candidatePaths(): string[] {
  const fromEnv = process.env[NATIVE_PREFILTER_ENV];
  if (fromEnv) return [fromEnv];
  return ['Release', 'Debug'].map((kind) => path.join(PROJECT_ROOT, 'native-bindings', 'build', kind, ADDON_FILE));
}

function load(): { readonly addon: NativeAddon | undefined; readonly availability: NativeAvailability } {
  if (loaded) return loaded;
  if (process.env[NATIVE_PREFILTER_ENV] === 'off') {
    loaded = { addon: undefined, availability: { kind: 'unavailable', reason: `disabled by ${NATIVE_PREFILTER_ENV}=off` } };
    return loaded;
  }
  const failures: string[] = [];
  for (const file of candidatePaths()) {
    let addon: NativeAddon;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      addon = require(file) as NativeAddon;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      failures.push(code === 'MODULE_NOT_FOUND' ? `${file} not built` : `${file}: ${(err as Error).message}`);
      continue;
    }
    if (addon.abiVersion !== EXPECTED_ABI_VERSION) {
      failures.push(`${file} has ABI version ${String(addon.abiVersion)}, expected ${EXPECTED_ABI_VERSION} (rebuild it)`);
      continue;
    }
    loaded = { addon, availability: { kind: 'available', path: file } };
    return loaded;
  }
  loaded = { addon: undefined, availability: { kind: 'unavailable', reason: failures.join('; ') } };
  return loaded;
}

export function nativePrefilterAvailability(): NativeAvailability {
  return load().availability;
}

export class NativeLinePrefilter implements LinePrefilter {
  readonly engine = 'native' as const;
  readonly literalCount: number;
  private readonly instance: NativeInstance;

  /** Throws NativePrefilterUnavailableError when the addon is not built or does not load. */
  constructor(
    literals: readonly Uint8Array[],
    readonly validatesJson = false,
    readonly gates: readonly GateField[] = [],
    readonly gatesOnEveryLine = false,
  ) {
    const { addon, availability } = load();
    if (!addon) throw new NativePrefilterUnavailableError(availability.kind === 'unavailable' ? availability.reason : '');
    let total = 0;
    for (const lit of literals) total += lit.length;
    if (total > MAX_CHUNK_BYTES) throw new RangeError(`prefilter literals total ${total} bytes, over ${MAX_CHUNK_BYTES}`);
    const bytes = new Uint8Array(total);
    const offsets = new Uint32Array(literals.length + 1);
    let at = 0;
    literals.forEach((lit, id) => {
      bytes.set(lit, at);
      at += lit.length;
      offsets[id + 1] = at;
    });
    const flags = (validatesJson ? FLAG_VALIDATE_JSON : 0) | (gatesOnEveryLine ? FLAG_GATES_ON_EVERY_LINE : 0);
    this.instance = new addon.LinePrefilter(bytes, offsets, flags, gates);
    this.literalCount = literals.length;
  }

  frame(bytes: Uint8Array, countLiterals = false): FramedChunk {
    return this.instance.frame(bytes, countLiterals);
  }

  setDeadPairs(tupleKeys: readonly number[], literals: readonly number[]): void {
    checkDeadPairs(tupleKeys, literals, this.literalCount);
    this.instance.setDeadPairs(Float64Array.from(tupleKeys), Uint32Array.from(literals));
  }

  setTriggers(ids: readonly number[] | undefined): void {
    if (ids !== undefined) checkTriggers(ids, this.literalCount);
    this.instance.setTriggers(ids === undefined ? undefined : Uint32Array.from(ids));
  }
}
