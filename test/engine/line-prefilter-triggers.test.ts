/**
 * Trigger literals (LinePrefilter.setTriggers) and literal counts (frame(bytes, true)): only lines holding a
 * trigger are candidates, each still listing every literal it holds; `literalLines` counts every line holding
 * each literal, candidate or not. Checked against a brute-force reading of random lines, on the JS engine and
 * on every literal search of the addon (rare-byte pairs and the DFA), which must all agree.
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
