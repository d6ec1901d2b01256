/**
 * Trigger literals (LinePrefilter.setTriggers) and literal counts (frame(bytes, true)): only lines holding a
 * trigger are candidates, each still listing every literal it holds; `literalLines` counts every line holding
 * each literal, candidate or not. Dead pairs (setDeadPairs): a line whose gate tuple rules out every trigger
 * it holds is no candidate. Checked against a brute-force reading of random lines, on the JS engine and on
 * every literal search of the addon (rare-byte pairs and the DFA), which must all agree.
 */
import test from 'ava';
import { createLinePrefilter, encodeLiterals, type FramedChunk, type LinePrefilter, type PrefilterEngineName } from '../../src/engine/line-prefilter';
import { hitsByLine, rawAddon, literalTable } from '../support/framed';
import { seeded } from '../support/random';

const engines: PrefilterEngineName[] = ['js'];
if (rawAddon()) engines.push('native');
else test('native engine: not built here, triggers checked on the JS engine only', (t) => t.pass());

const WORDS = ['powershell.exe', 'Operational', 'sysmon', 'EventID', 'cmd', 'net user', 'a', '4688', 'temp\\x'];

function randomLines(rand: () => number, count: number): string[] {
  return Array.from({ length: count }, () => {
    const parts: string[] = [];
    const n = Math.floor(rand() * 6);
    for (let i = 0; i < n; i++) {
      const w = WORDS[Math.floor(rand() * WORDS.length)]!;
      parts.push(rand() < 0.3 ? w.toUpperCase() : w);
    }
    return `{"m":${JSON.stringify(parts.join(' '))}}`;
  });
}

/** What the contract says, read off the text: each line's literal ids, folded ASCII case-insensitively. */
function expected(lines: readonly string[], literals: readonly string[], triggers: readonly number[] | undefined) {
  const raw = lines.map((l) => Buffer.from(l, 'utf8').toString('latin1').toLowerCase());
  const held = raw.map((l) => literals.flatMap((lit, id) => (l.includes(lit.toLowerCase()) ? [id] : [])));
  const isTrigger = (id: number) => triggers === undefined || triggers.includes(id);
  const candidates: Record<number, number[]> = {};
  held.forEach((ids, line) => {
    if (ids.some(isTrigger)) candidates[line] = ids;
  });
  const literalLines = literals.map((_, id) => held.filter((ids) => ids.includes(id)).length);
  return { candidates, literalLines };
}

/** Every prefilter to compare: the JS engine, and the addon forced on each literal search. */
function prefilters(literals: readonly string[]): { name: string; prefilter: LinePrefilter | RawTriggers }[] {
  const out: { name: string; prefilter: LinePrefilter | RawTriggers }[] = [];
  for (const engine of engines) out.push({ name: engine, prefilter: createLinePrefilter(encodeLiterals(literals), { engine, validateJson: true }) });
  const addon = rawAddon() as unknown as { LinePrefilter: new (b: Uint8Array, o: Uint32Array, flags: number) => RawTriggers } | undefined;
  if (addon) {
    const [bytes, offsets] = literalTable(encodeLiterals(literals));
    out.push({ name: 'native dfa', prefilter: new addon.LinePrefilter(bytes, offsets, 1 | 2) });
    out.push({ name: 'native pairs', prefilter: new addon.LinePrefilter(bytes, offsets, 1 | 4) });
  }
  return out;
}

interface RawTriggers {
  frame(bytes: Uint8Array, countLiterals?: boolean): FramedChunk;
  setTriggers(ids: Uint32Array | undefined): void;
}

function setTriggers(p: LinePrefilter | RawTriggers, ids: readonly number[] | undefined): void {
  if ('engine' in p) p.setTriggers(ids);
  else p.setTriggers(ids === undefined ? undefined : Uint32Array.from(ids));
}

test('only lines holding a trigger are candidates; they list every literal; literalLines counts every line', (t) => {
  const rand = seeded(4242);
  for (let round = 0; round < 40; round++) {
    const literals = WORDS.filter(() => rand() < 0.6);
    if (literals.length === 0) continue;
    const lines = randomLines(rand, 200);
    const chunk = Buffer.from(lines.join('\n') + '\n');
    const triggerSets: (number[] | undefined)[] = [undefined, [], literals.map((_, i) => i).filter(() => rand() < 0.5)];
    for (const { name, prefilter } of prefilters(literals)) {
      for (const triggers of triggerSets) {
        setTriggers(prefilter, triggers);
        const want = expected(lines, literals, triggers);
        const got = prefilter.frame(chunk, true);
        t.deepEqual(hitsByLine(got), want.candidates, `${name}, round ${round}, triggers ${JSON.stringify(triggers)}`);
        t.deepEqual(Array.from(got.literalLines ?? []), want.literalLines, `${name}: literalLines`);
        t.true(got.jsonStatus!.every((s) => s === 1), `${name}: every line still validated`);
        t.is(prefilter.frame(chunk).literalLines, undefined, `${name}: counted only when asked`);
      }
    }
  }
});

test('setTriggers refuses an id that is not a literal', (t) => {
  for (const engine of engines) {
    const p = createLinePrefilter(encodeLiterals(['a', 'b']), { engine });
    t.throws(() => p.setTriggers([2]), { instanceOf: RangeError }, engine);
    t.throws(() => p.setTriggers([-1]), { instanceOf: RangeError }, engine);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Dead pairs (setDeadPairs): a valid line whose tuple of gate codes is paired with every trigger it holds is
// no candidate, and is counted in gatedLines.

const GATES = [
  { name: 'EventID', aliases: [], values: ['1', '3'] },
  { name: 'Channel', aliases: [], values: ['security', 'sysmon'] },
];
/** The tuple key of codes, as GateFilter computes it (radix: values plus OTHER, ABSENT, UNKNOWN). */
function keyOf(codes: readonly number[]): number {
  return codes.reduce((key, c, g) => {
    const size = GATES[g]!.values.length + 3;
    return key * size + (c >= 0xfffd ? size - 3 + (c - 0xfffd) : c);
  }, 0);
}

test('dead pairs: exactly the lines whose every trigger is paired with their tuple stop being candidates', (t) => {
  const rand = seeded(777);
  const literals = ['powershell.exe', 'operational', 'cmd'];
  const ids = ['1', '3', '7', 'x'];
  const channels = ['Security', 'sysmon', 'Other'];
  const lines = Array.from({ length: 400 }, () => {
    const m = literals.filter(() => rand() < 0.5).join(' ');
    const event: Record<string, unknown> = { m };
    if (rand() < 0.9) event['EventID'] = Number(ids[Math.floor(rand() * 3)]);
    if (rand() < 0.9) event['Channel'] = channels[Math.floor(rand() * channels.length)];
    return rand() < 0.05 ? `{"m":"${m}", bad` : JSON.stringify(event);
  });
  const chunk = Buffer.from(lines.join('\n') + '\n');
  const engineList: { name: string; make: () => LinePrefilter }[] = engines.map((engine) => ({
    name: engine,
    make: () => createLinePrefilter(encodeLiterals(literals), { engine, validateJson: true, gates: GATES }),
  }));
  const addon = rawAddon() as unknown as
    | { LinePrefilter: new (b: Uint8Array, o: Uint32Array, flags: number, gates: unknown) => RawTriggers & { setDeadPairs(k: Float64Array, l: Uint32Array): void } }
    | undefined;
  if (addon) {
    // The DFA path of the addon (the default for 3 literals is the pair search).
    const [bytes, offsets] = literalTable(encodeLiterals(literals));
    engineList.push({
      name: 'native dfa',
      make: () => {
        const raw = new addon.LinePrefilter(bytes, offsets, 1 | 2, GATES);
        return {
          engine: 'native',
          literalCount: literals.length,
          validatesJson: true,
          gates: GATES,
          frame: (b: Uint8Array, c?: boolean) => raw.frame(b, c),
          setTriggers: (ids: readonly number[] | undefined) => raw.setTriggers(ids === undefined ? undefined : Uint32Array.from(ids)),
          setDeadPairs: (k: readonly number[], l: readonly number[]) => raw.setDeadPairs(Float64Array.from(k), Uint32Array.from(l)),
        };
      },
    });
  }
  for (const { name, make } of engineList) {
    const plain = make();
    plain.setTriggers([0, 2]);
    const before = plain.frame(chunk);
    const codesOf = (line: number) => [before.gateCodes![line * 2]!, before.gateCodes![line * 2 + 1]!];
    // Dead: powershell.exe with any tuple whose EventID is not 3, and cmd with the Security channel.
    const keys: number[] = [];
    const lits: number[] = [];
    for (let e = 0; e < GATES[0]!.values.length + 3; e++) {
      for (let c = 0; c < GATES[1]!.values.length + 3; c++) {
        const code = (i: number, g: number) => (i < GATES[g]!.values.length ? i : 0xfffd + (i - GATES[g]!.values.length));
        const codes = [code(e, 0), code(c, 1)];
        if (codes[0] !== 1) (keys.push(keyOf(codes)), lits.push(0));
        if (codes[1] === 0) (keys.push(keyOf(codes)), lits.push(2));
      }
    }
    const p = make();
    p.setTriggers([0, 2]);
    p.setDeadPairs(keys, lits);
    const after = p.frame(chunk);
    const deadSet = new Set(keys.map((k, i) => `${k}:${lits[i]}`));
    const beforeHits = hitsByLine(before);
    const want: Record<number, number[]> = {};
    let gated = 0;
    for (const [lineText, hits] of Object.entries(beforeHits)) {
      const line = Number(lineText);
      const key = keyOf(codesOf(line));
      const valid = before.jsonStatus![line] === 1;
      const allDead = valid && hits.filter((h) => h !== 1).every((h) => deadSet.has(`${key}:${h}`));
      if (allDead) gated++;
      else want[line] = hits;
    }
    t.deepEqual(hitsByLine(after), want, name);
    t.is(after.gatedLines, gated, `${name}: gatedLines`);
    t.true(gated > 20 && Object.keys(want).length > 20, `${name}: the case means something (${gated} gated, ${Object.keys(want).length} left)`);
    t.deepEqual(Array.from(after.jsonStatus!), Array.from(before.jsonStatus!), `${name}: statuses unchanged`);
    p.setDeadPairs([], []);
    t.deepEqual(hitsByLine(p.frame(chunk)), beforeHits, `${name}: no pairs, no change`);
    t.throws(() => p.setDeadPairs([keyOf([0, 0])], [3]), { instanceOf: RangeError }, `${name}: literal out of range`);
  }
});
