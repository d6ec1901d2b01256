/**
 * The scan shortcut parser against yargs: on every command line it accepts it must give exactly what
 * yargs gives; what it refuses goes to yargs anyway, so refusing is always safe.
 */
import test from 'ava';
import { fastScanArgs } from '../../src/cli/fast-scan-args';
import { parseCommandLine } from '../../src/cli/parse-command-line';
import { seeded } from '../support/random';

async function yargsScanArgs(argv: readonly string[]): Promise<unknown> {
  const parsed = await parseCommandLine(argv);
  return parsed.kind === 'command' && parsed.command.kind === 'scan' ? parsed.command.args : parsed;
}

test('plain scan command lines: the same arguments as yargs', async (t) => {
  const lines: string[][] = [
    ['scan', '-r', 'rules', 'logs'],
    ['scan', '-r', 'a.yml', '--rules', 'b/', '--rules=c.yml', 'x.jsonl', 'y.jsonl.gz', 'logs/**/*.json'],
    ['scan', 'in.jsonl', '-r', 'r.yml', '--format', 'count', '-l', '--threads', '3', '--no-logsource', '--engine', 'js'],
    ['scan', '-r', 'r.yml', '--format=table', '--threads=12', '--engine=native', '--mapping', 'm.yml', '--placeholders=p.yml'],
    ['scan', '-r', 'r.yml', '--no-summary', '--progress', '-v', '--files-with-matches', '--logsource', 'a b.log'],
    ['scan', '-r', 'r.yml', '--summary', '--no-progress', '--verbose', '--format', 'jsonl', '2024-01-01.log'],
    ['scan', '-r', 'r.yml'],
  ];
  for (const argv of lines) {
    const fast = fastScanArgs(argv);
    t.truthy(fast, argv.join(' '));
    t.deepEqual(fast, await yargsScanArgs(argv), argv.join(' '));
  }
});

test('what the shortcut leaves to yargs', (t) => {
  const refused: string[][] = [
    ['compile', 'r.yml'],
    ['scan', 'logs'], // no -r: yargs writes the error
    ['scan', '-r', 'r.yml', '--help'],
    ['scan', '-r', 'r.yml', 'a', '-'], // yargs drops the `-`
    ['scan', '-r', 'r.yml', '--', '-a'],
    ['scan', '-r', 'r.yml', '-lv'],
    ['scan', '-rr.yml'],
    ['scan', '-r=r.yml'],
    ['scan', '-r', 'r.yml', '--summary', 'false'],
    ['scan', '-r', 'r.yml', '--summary=false'],
    ['scan', '-r', 'r.yml', '--format', 'csv'],
    ['scan', '-r', 'r.yml', '--format', 'count', '--format', 'table'],
    ['scan', '-r', 'r.yml', '--threads', '0'],
    ['scan', '-r', 'r.yml', '--threads', '04'],
    ['scan', '-r', 'r.yml', '--threads', '2.5'],
    ['scan', '-r', 'r.yml', '0123'],
    ['scan', '-r', 'r.yml', 'compile'],
    ['scan', '-r', '--format', 'count'],
    ['scan', '-r', 'r.yml', '--filesWithMatches'],
    ['scan', '-r', 'r.yml', '-v', '-v'],
    ['scan', '-r', 'r.yml', ''],
    ['scan', '-r'],
  ];
  for (const argv of refused) t.is(fastScanArgs(argv), undefined, argv.join(' '));
});

test('random command lines: whenever the shortcut accepts one, yargs reads it the same way', async (t) => {
  const rand = seeded(20261130);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const files = ['r.yml', 'rules/', 'a.jsonl', 'logs/*.gz', 'x y.log', 'é.log', '2024.log', 'a=b.log'];
  const flagChoices: readonly (readonly string[])[] = [
    ['--format', 'count'], ['--format=table'], ['--format', 'jsonl'], ['-l'], ['--files-with-matches'], ['--threads', '2'], ['--threads=7'],
    ['--mapping', 'm.yml'], ['--mapping=m.yml'], ['--engine', 'js'], ['--engine=auto'], ['--placeholders', 'p.yml'], ['--summary'], ['--no-summary'],
    ['--progress'], ['--no-progress'], ['--logsource'], ['--no-logsource'], ['-v'], ['--verbose'],
  ];
  const noise = [
    '-', '--', '-r', '--rules', '-rfoo', '-r=x', '0123', '12', 'true', 'false', 'compile', 'scan', '--format', 'csv', '--format=', '--threads', '0', '04', '-1',
    '2.5', '0x10', '--no-files-with-matches', '--filesWithMatches', '--summary=false', '-lv', '-vl', '--unknown', '', ' ', '--engine', 'native', '-h', '--rules.a',
  ];
  let accepted = 0;
  let refused = 0;
  for (let n = 0; n < 1500; n++) {
    const parts: string[][] = [];
    const ruleCount = Math.floor(rand() * 3);
    for (let i = 0; i < ruleCount; i++) parts.push(rand() < 0.7 ? [pick(['-r', '--rules']), pick(files)] : [`--rules=${pick(files)}`]);
    for (let i = Math.floor(rand() * 4); i > 0; i--) parts.push([pick(files)]);
    for (let i = Math.floor(rand() * 4); i > 0; i--) parts.push([...pick(flagChoices)]);
    for (let i = parts.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [parts[i], parts[j]] = [parts[j]!, parts[i]!];
    }
    const argv = ['scan', ...parts.flat()];
    if (rand() < 0.4) argv.splice(1 + Math.floor(rand() * argv.length), 0, pick(noise));
    const fast = fastScanArgs(argv);
    if (fast === undefined) {
      refused++;
      continue;
    }
    accepted++;
    t.deepEqual(fast, await yargsScanArgs(argv), JSON.stringify(argv));
  }
  t.log(`${accepted} accepted and compared, ${refused} left to yargs`);
  t.true(accepted > 300 && refused > 300);
});
