/**
 * Conformance: every .evtx of the shared sigma-regression corpus decodes to exactly the evtx_dump JSON
 * objects of its case in events.jsonl (same order), with no problem reported.
 */
import test from 'ava';
import { decodeEvtx, decodeEvtxChunk, listEvtxChunks } from '../../src/evtx';
import { corpusAvailable, loadCases, readBytes } from './corpus';

/**
 * Cases whose expected JSON cannot be produced from their .evtx, with the reason:
 * - ad691d92-15f2-4181-9aa4-723c74f9ddc3 (right-to-left override): the expected JSON was not rendered from
 *   this file by evtx_dump: its SystemTime has 9 fractional digits ("…26.751156500Z", evtx_dump prints 6)
 *   and its ParentCommandLine reads "C:\Windows\Explorer.exe" while the record's bytes hold "Explorer.EXE".
 */
const KNOWN_MISMATCH: ReadonlyMap<string, string> = new Map([
  ['ad691d92-15f2-4181-9aa4-723c74f9ddc3', 'expected JSON not rendered from this .evtx (9-digit SystemTime, "Explorer.exe" vs bytes "Explorer.EXE")'],
]);

if (!corpusAvailable()) {
  test.skip('conformance: ../shared/corpora/sigma-regression is absent, corpus cases not run', () => {});
} else {
  const cases = loadCases();

  test('the corpus has 144 cases', (t) => {
    t.is(cases.length, 144);
  });

  for (const c of cases) {
    const reason = KNOWN_MISMATCH.get(c.ruleId);
    test(`conformance ${c.ruleId}`, (t) => {
      const result = decodeEvtx(readBytes(c.evtxPath));
      t.deepEqual(result.problems, []);
      t.is(result.events.length, c.expected.length);
      if (reason !== undefined) {
        t.log(`known mismatch, content not compared: ${reason}`);
        t.notDeepEqual(result.events, c.expected, 'a known mismatch now matches: remove it from KNOWN_MISMATCH');
        return;
      }
      t.deepEqual(result.events, c.expected);
    });
  }

  test('chunk-level API gives the same events as decodeEvtx', (t) => {
    for (const c of cases.slice(0, 20)) {
      const bytes = readBytes(c.evtxPath);
      const viaChunks = listEvtxChunks(bytes).flatMap((ref) => {
        // A worker would receive only the chunk's bytes: decode from a copy at offset 0.
        const own = bytes.slice(ref.offset, ref.offset + ref.length);
        return decodeEvtxChunk(own, 0, ref.index).records.map((r) => r.event);
      });
      t.deepEqual(viaChunks, decodeEvtx(bytes).events);
    }
  });
}
