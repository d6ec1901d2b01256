/** `-l`: the name of each input with at least one detection, once, in input order. */
import type { Detection, ScanSink } from '../types';

export function filesWithMatchesSink(out: NodeJS.WritableStream): ScanSink {
  const printed = new Set<string>();
  return {
    detections(batch: readonly Detection[]): void {
      let text = '';
      for (const d of batch) {
        if (printed.has(d.file)) continue;
        printed.add(d.file);
        text += `${d.file}\n`;
      }
      if (text) out.write(text);
    },
  };
}
