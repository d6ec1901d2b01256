import test from 'ava';
import { seeded } from '../support/random';
import { bytesOf, firstFramedDifference as firstDifference, literalTable as encode, plainFramed as plain, rawAddon, type RawAddonInstance as AddonInstance } from '../support/framed';
import {
  createLinePrefilter,
  nativePrefilterAvailability,
  type FramedChunk,
} from '../../src/engine/line-prefilter';

// The native addon picks one of two literal searches: the Aho-Corasick DFA, or (for small sets) a search by
// rare byte pairs with an SSE2 or AVX2 filter loop and a bytewise tail. Each is forced here through the
// addon's test flags and compared, array for array, with the JS engine on inputs that stress the pair
// search: segment and block boundaries, chunk ends, CRLF, folded letters, bytes >= 0x80.

/** The addon's constructor flags (native-bindings/src/line_prefilter.cc). */
const FORCE_DFA = 2;
const FORCE_PAIRS = 4;
const NO_AVX2 = 8;
/** Ids are bits of a uint64 per line in the pair search. */
const PAIRS_MAX_LITERALS = 64;
/** The pair search walks a chunk in segments of this many bytes (literal_search.h). */
const SEGMENT = 64 * 1024;

const native = nativePrefilterAvailability();
const addon = rawAddon();


/** Every native search that applies to this many literals, by the name the addon reports. */
function nativeSearches(literals: readonly Uint8Array[]): AddonInstance[] {
  if (!addon) return [];
  const [bytes, offsets] = encode(literals);
  const flags = [0, FORCE_DFA];
  if (literals.length <= PAIRS_MAX_LITERALS) flags.push(FORCE_PAIRS, FORCE_PAIRS | NO_AVX2);
  return flags.map((f) => new addon.LinePrefilter(bytes, offsets, f));
}

/** Asserts that every native search frames `input` exactly as the JS engine does; returns the JS result. */
function agree(t: { is: (a: unknown, b: unknown, m?: string) => void }, literals: readonly Uint8Array[], input: Uint8Array, label = ''): FramedChunk {
  const expected = createLinePrefilter(literals, { engine: 'js' }).frame(input);
  for (const search of nativeSearches(literals)) t.is(firstDifference(search.frame(input), expected), undefined, `${search.literalPath} ${label}`);
  return expected;
}

if (!addon) {
  test.skip(`native literal searches: addon not built (${native.kind === 'unavailable' ? native.reason : ''}); skipped`, () => undefined);
} else {
  test('the small-set default is the pair search, a large set the DFA, and the flags force either', (t) => {
    const few = encode(['powershell.exe', 'cmd'].map(bytesOf));
    t.regex(new addon.LinePrefilter(few[0], few[1], 0).literalPath, /^pairs-/);
    t.is(new addon.LinePrefilter(few[0], few[1], FORCE_DFA).literalPath, 'dfa');
    t.is(new addon.LinePrefilter(few[0], few[1], FORCE_PAIRS | NO_AVX2).literalPath, process.arch === 'x64' ? 'pairs-sse2' : 'pairs-scalar');
    const many = encode(Array.from({ length: 100 }, (_, i) => bytesOf(`literal${i}`)));
    t.is(new addon.LinePrefilter(many[0], many[1], 0).literalPath, 'dfa');
    t.is(new addon.LinePrefilter(many[0], many[1], FORCE_PAIRS).literalPath, 'dfa', 'over 64 ids the pair search cannot hold them');
  });

  test('a pair search that filters badly hands over to the DFA after a large chunk, with the same results', (t) => {
    // The literal's two rarest bytes (by the static table) occur every three bytes, its first byte never.
    const literals = [bytesOf('\x01\x02\x03'), bytesOf('needle')];
    const [bytes, offsets] = encode(literals);
    const search = new addon.LinePrefilter(bytes, offsets, 0);
    t.regex(search.literalPath, /^pairs-/);
    const bad = bytesOf(('\x00\x02\x03'.repeat(100) + '\n').repeat(4000) + 'a needle\n');
    t.deepEqual(plain(search.frame(bad)), plain(createLinePrefilter(literals, { engine: 'js' }).frame(bad)));
    t.is(search.literalPath, 'dfa');
    const good = bytesOf('\x01\x02\x03\nNEEDLE\n');
    t.deepEqual(plain(search.frame(good)), plain(createLinePrefilter(literals, { engine: 'js' }).frame(good)));
    const forced = new addon.LinePrefilter(bytes, offsets, FORCE_PAIRS);
    forced.frame(bad);
    t.regex(forced.literalPath, /^pairs-/, 'a forced pair search stays');
  });

  const cases: ReadonlyArray<readonly [string, string, readonly string[]]> = [
    ['literal at chunk start and end', 'abcdef\nxyz\nghiabc', ['abc', 'xyz', 'ghi', 'Abc']],
    ['literal is the whole chunk', 'PowerShell.exe', ['powershell.exe']],
    ['chunk shorter than a literal', 'power', ['powershell.exe', 'pow']],
    ['literal at line start and end, CRLF', 'abc..xyz\r\nxyz..abc\r\n', ['abc', 'xyz', 'z\r', '\r\n']],
    ['a literal ending in CR matches only a lone CR', 'ab\r\nab\rc\nab\r', ['ab\r', 'b\rc']],
    ['overlapping and nested literals', 'aaaaab mimimikatz', ['aa', 'aaa', 'aab', 'mimikatz', 'mimi', 'kat', 'imim']],
    ['prefixes of each other', 'powershell\npowershell.exe\npower', ['powershell.exe', 'powershell', 'power', 'p']],
    ['case variants fold ASCII letters only', 'CMD.EXE\ncmd.exe\nCmD.ExE\n@[`{\n\xc0\xe0', ['cmd.exe', '@[', '`{', '\xe0']],
    ['bytes >= 0x80 compare exactly', '\xc3\xa9t\xc3\xa9\n\xc3\x89T\xc3\x89\n\xff\xfe\x80', ['\xc3\xa9t', '\xc3\x89t', '\xfe\x80', '\xff']],
    ['empty lines and a trailing LF', '\n\n\r\nx\n\n', ['x', '\r']],
    ['many hits on one line', 'ab '.repeat(5000) + '\nab', ['ab', 'b a', 'ba']],
    ['duplicate and case-duplicate literals keep every id', 'TEMP\ntemp\n', ['temp', 'TeMp', 'x', 'temp']],
    ['literals with LF never match', 'a\nb\nab', ['a\nb', '\n', 'ab']],
    ['one-byte literals', 'x\ny\nXY\n', ['x', 'Y', 'z']],
    ['literal longer than two blocks', `${'q'.repeat(30)}\n${'Q'.repeat(70)}\nq${'Q'.repeat(68)}`, ['q'.repeat(69), 'q'.repeat(70), 'q'.repeat(71)]],
  ];
  for (const [title, input, literals] of cases) {
    test(`native literal searches agree with JS: ${title}`, (t) => {
      agree(t, literals.map(bytesOf), bytesOf(input));
    });
  }

  test('native literal searches agree with JS across segment and block boundaries', (t) => {
    // A literal planted at every offset around the first two segment boundaries, on lines that cross them
    // and on a line longer than a segment.
    const literals = ['needle', 'NEEDLE!', 'x'.repeat(40) + 'y'].map(bytesOf);
    for (const boundary of [SEGMENT, 2 * SEGMENT]) {
      for (let at = boundary - 48; at <= boundary + 48; at += 7) {
        const bytes = new Uint8Array(3 * SEGMENT).fill(0x2e); // '.'
        for (let nl = 1000; nl < bytes.length; nl += 3001) bytes[nl] = 0x0a;
        bytes.set(bytesOf('NeedLe!'), at);
        bytes.set(bytesOf('x'.repeat(40) + 'Y'), at + 100);
        bytes[bytes.length - 1] = 0x0a;
        agree(t, literals, bytes, `at ${at}`);
      }
    }
    const long = new Uint8Array(SEGMENT * 2 + 77).fill(0x61);
    long.set(bytesOf('needle'), SEGMENT * 2 + 71);
    const r = agree(t, literals, long, 'one line longer than two segments, literal at its very end');
    t.deepEqual(Array.from(r.candidateLines), [0]);
  });

  test('native literal searches agree with JS on seeded random chunks', (t) => {
    const alphabet = ['a', 'b', 'A', 'B', 'c', 'x', 'X', '.', '\r', '\n', '\xc3', '\xa9', '\x00', '\xff', ' '];
    for (let seed = 1; seed <= 150; seed++) {
      const rnd = seeded(7000 + seed);
      const pick = (): string => alphabet[Math.floor(rnd() * alphabet.length)]!;
      const literals: string[] = [];
      const count = 1 + Math.floor(rnd() * (rnd() < 0.8 ? 16 : PAIRS_MAX_LITERALS));
      for (let i = 0; i < count; i++) {
        let s = '';
        const len = 1 + Math.floor(rnd() * (rnd() < 0.9 ? 6 : 50));
        for (let j = 0; j < len; j++) s += pick();
        literals.push(s);
      }
      // Mostly small chunks; some span several segments, with literals planted in varied case.
      const size = rnd() < 0.85 ? Math.floor(rnd() * 600) : Math.floor(rnd() * 3 * SEGMENT);
      const parts: string[] = [];
      let length = 0;
      while (length < size) {
        let part: string;
        if (rnd() < 0.3) {
          const lit = literals[Math.floor(rnd() * literals.length)]!;
          part = rnd() < 0.5 ? lit.toUpperCase() : lit;
        } else {
          part = '';
          const n = size > 1000 ? Math.floor(rnd() * 200) : Math.floor(rnd() * 8);
          for (let j = 0; j < n; j++) part += rnd() < 0.9 ? 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rnd() * 26)] : pick();
        }
        parts.push(part);
        length += part.length;
      }
      const input = bytesOf(parts.join(''));
      const expected = createLinePrefilter(literals.map(bytesOf), { engine: 'js' }).frame(input);
      for (const search of nativeSearches(literals.map(bytesOf))) {
        const difference = firstDifference(search.frame(input), expected);
        if (difference !== undefined) {
          t.fail(`seed ${seed} ${search.literalPath}: literals ${JSON.stringify(literals)}, ${input.length} bytes: ${JSON.stringify(difference)}`);
          return;
        }
      }
    }
    t.pass();
  });

  test('native literal searches agree with JS on Windows-log-like lines with Sigma literals', (t) => {
    const rnd = seeded(99);
    const words = ['"Image":"C:\\\\Windows\\\\System32\\\\', 'powershell.exe', 'PowerShell.EXE', 'cmd.exe', '"Channel":"Microsoft-Windows-Sysmon/Operational"', 'mimikatz', ' -EncodedCommand ', 'é', '{"a":1}', '\\\\temp\\\\', 'x'];
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      let line = '{';
      for (let n = Math.floor(rnd() * 40); n > 0; n--) line += words[Math.floor(rnd() * words.length)]!;
      lines.push(line + '}');
    }
    const input = new Uint8Array(Buffer.from(lines.join(rnd() < 0.5 ? '\n' : '\r\n'), 'utf8'));
    const literals = ['powershell.exe', 'microsoft-window', 'operational', 'mimikatz', '\\\\temp\\\\', '-encodedcommand', 'cmd.exe', 'rundll32'];
    for (let count = 1; count <= literals.length; count++) {
      const r = agree(t, literals.slice(0, count).map((l) => new Uint8Array(Buffer.from(l, 'utf8'))), input, `${count} literals`);
      t.true(r.candidateLines.length > 0);
    }
  });
}
