/** Prints each issue as it happens, `file:line: severity[CODE]: message`, typically to stderr. */
import { formatScanIssue } from '../format';
import type { ScanIssue, ScanSink } from '../types';

export function issueSink(out: NodeJS.WritableStream, options: { readonly warnings?: boolean } = {}): ScanSink {
  return {
    issue(issue: ScanIssue): void {
      if (issue.severity === 'warning' && options.warnings === false) return;
      out.write(`${formatScanIssue(issue)}\n`);
    },
  };
}
