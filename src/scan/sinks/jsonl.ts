/**
 * One detection per line: {"rule":{"id","title","level","tags"},"file","line","offset","event"}; EVTX
 * detections add "record" (the record number) after "offset", and "verified":false when the record's
 * chunk failed its data checksum.
 * Writes one string per chunk batch and waits for `drain` when the stream is full (backpressure).
 */
import { once } from 'node:events';
import type { Detection, ScanSink } from '../types';

export function formatDetectionJson(d: Detection): string {
  const { id, title, level, tags } = d.rule;
  return JSON.stringify({
    rule: { id, title, level, tags },
    file: d.file,
    line: d.line,
    offset: d.offset,
    ...(d.record !== undefined ? { record: d.record } : {}),
    ...(d.verified === false ? { verified: false } : {}),
    event: d.event,
  });
}

export function jsonlSink(out: NodeJS.WritableStream): ScanSink {
  return {
    detections(batch: readonly Detection[]): Promise<void> | void {
      let text = '';
      for (const d of batch) text += `${formatDetectionJson(d)}\n`;
      if (!out.write(text)) return once(out, 'drain').then(() => undefined);
    },
  };
}
