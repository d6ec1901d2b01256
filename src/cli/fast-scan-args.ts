/**
 * A plain `sigrep scan` command line read without yargs: loading and running yargs costs about 55 ms,
 * a fifth of a one-rule scan of a small file. This is a shortcut, not a second parser of record: it accepts
 * only command lines made of the documented scan flags in their plain spellings, and for those it returns
 * exactly the ScanArgs that yargs gives (a test compares the two over many command lines). Anything else
 * (help, a flag it does not know, `--flag=value` on a boolean, `-lv`, `-`, `--`, a repeated flag, a value
 * that looks like an option or a number, a bad choice) gives undefined and the line goes to yargs, which then
 * also writes the usage error.
 */
import type { ScanArgs, ScanOutput } from './scan-command';

type ValueFlag = 'rules' | 'format' | 'threads' | 'mapping' | 'engine' | 'placeholders';
type BooleanFlag = 'files-with-matches' | 'logsource' | 'summary' | 'progress' | 'verbose' | 'plan-cache';

const VALUE_FLAGS: ReadonlyMap<string, ValueFlag> = new Map<string, ValueFlag>([
  ['-r', 'rules'],
  ['--rules', 'rules'],
  ['--format', 'format'],
  ['--threads', 'threads'],
  ['--mapping', 'mapping'],
  ['--engine', 'engine'],
  ['--placeholders', 'placeholders'],
]);

const BOOLEAN_FLAGS: ReadonlyMap<string, readonly [BooleanFlag, boolean]> = new Map<string, readonly [BooleanFlag, boolean]>([
  ['-l', ['files-with-matches', true]],
  ['--files-with-matches', ['files-with-matches', true]],
  ['--logsource', ['logsource', true]],
  ['--no-logsource', ['logsource', false]],
  ['--summary', ['summary', true]],
  ['--no-summary', ['summary', false]],
  ['--progress', ['progress', true]],
  ['--no-progress', ['progress', false]],
  ['--plan-cache', ['plan-cache', true]],
  ['--no-plan-cache', ['plan-cache', false]],
  ['-v', ['verbose', true]],
  ['--verbose', ['verbose', true]],
]);

const OUTPUTS: readonly string[] = ['jsonl', 'table', 'count'] satisfies readonly ScanOutput[];
const ENGINES: readonly string[] = ['auto', 'js', 'native'] satisfies readonly ScanArgs['engine'][];
const COMMAND_NAMES: readonly string[] = ['scan', 'events', 'compile', 'bench'];
/** A thread count written plainly; yargs would read other spellings (`04`, `4.0`, `0x4`) as numbers too. */
const PLAIN_COUNT = /^[1-9][0-9]{0,5}$/;

/** Words that yargs might read as something other than a file name: numbers, true/false, command names. */
function ambiguous(word: string): boolean {
  return word.trim() === '' || word !== word.trim() || !Number.isNaN(Number(word)) || word === 'true' || word === 'false' || COMMAND_NAMES.includes(word);
}

/** The ScanArgs of a plain `scan` command line, or undefined when yargs must read it. */
export function fastScanArgs(argv: readonly string[]): ScanArgs | undefined {
  if (argv[0] !== 'scan') return undefined;
  const rules: string[] = [];
  const inputs: string[] = [];
  const values = new Map<Exclude<ValueFlag, 'rules'>, string>();
  const booleans = new Map<BooleanFlag, boolean>();
  for (let i = 1; i < argv.length; i++) {
    const token = argv[i] as string;
    // A lone `-` is left to yargs, which drops it from the inputs (none means stdin anyway).
    if (!token.startsWith('-')) {
      if (ambiguous(token)) return undefined;
      inputs.push(token);
      continue;
    }
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq < 0 ? token : token.slice(0, eq);
    const valueFlag = VALUE_FLAGS.get(name);
    if (valueFlag !== undefined) {
      if (eq >= 0 && name === '-r') return undefined;
      const value = eq >= 0 ? token.slice(eq + 1) : argv[++i];
      if (value === undefined || value.startsWith('-')) return undefined;
      if (valueFlag !== 'threads' && ambiguous(value)) return undefined;
      if (valueFlag === 'rules') rules.push(value);
      else {
        if (values.has(valueFlag)) return undefined;
        values.set(valueFlag, value);
      }
      continue;
    }
    const booleanFlag = eq < 0 ? BOOLEAN_FLAGS.get(token) : undefined;
    if (booleanFlag === undefined) return undefined;
    const [flag, value] = booleanFlag;
    // yargs reads `--summary false` as a value for the flag.
    const next = argv[i + 1];
    if (booleans.has(flag) || next === 'true' || next === 'false') return undefined;
    booleans.set(flag, value);
  }
  if (rules.length === 0) return undefined;
  const format = values.get('format');
  const engine = values.get('engine') ?? 'auto';
  const threads = values.get('threads');
  const mapping = values.get('mapping');
  const placeholders = values.get('placeholders');
  if (format !== undefined && !OUTPUTS.includes(format)) return undefined;
  if (!ENGINES.includes(engine)) return undefined;
  if (threads !== undefined && !PLAIN_COUNT.test(threads)) return undefined;
  const progress = booleans.get('progress');
  return {
    rules,
    inputs,
    output: format as ScanOutput | undefined,
    filesWithMatches: booleans.get('files-with-matches') ?? false,
    logsource: booleans.get('logsource') ?? true,
    engine: engine as ScanArgs['engine'],
    summary: booleans.get('summary') ?? true,
    progress,
    verbose: booleans.get('verbose') ?? false,
    planCache: booleans.get('plan-cache') ?? true,
    ...(threads !== undefined ? { threads: Number(threads) } : {}),
    ...(mapping !== undefined ? { mappingFile: mapping } : {}),
    ...(placeholders !== undefined ? { placeholderFile: placeholders } : {}),
  };
}
