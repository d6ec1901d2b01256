/**
 * `sigrep events`: every input as events, one compact JSON per line on stdout (evtx_dump's shape for
 * EVTX; JSON lines re-printed compact; a text line as a JSON string), problems on stderr. Exit 0, or 2
 * when an error was reported (unreadable input, damaged EVTX); unparsed lines are reported, not errors.
 */
import { once } from 'node:events';
import { formatScanIssue, formatUnparsed, readEvents, type EventLine } from '../scan';
import { EXIT, type Io } from './io';

export interface EventsArgs {
  readonly inputs: readonly string[];
}

export async function runEvents(args: EventsArgs, io: Io): Promise<number> {
  const out = io.stdoutStream;
  const summary = await readEvents({
    inputs: args.inputs,
    sinks: [
      {
        events(batch: readonly EventLine[]): Promise<void> | void {
          let text = '';
          for (const e of batch) text += `${e.json}\n`;
          if (!out.write(text)) return once(out, 'drain').then(() => undefined);
        },
        unparsed: (u) => io.stderr(`${formatUnparsed(u)}\n`),
        issue: (i) => io.stderr(`${formatScanIssue(i)}\n`),
      },
    ],
  });
  return summary.ok ? EXIT.ok : EXIT.usage;
}
