/**
 * A Sigma pattern as a PCRE-style search regex, for engines whose exact string tests are regex
 * functions (Splunk `match()`, LogPoint `process regex`). Unanchored on a side that starts or ends with
 * `*`, so `*\powershell.exe` is `\\powershell\.exe<end>` rather than `^.*\\powershell\.exe<end>`.
 */
import { endsWithStar, startsWithStar } from '../../ir/pattern';
import { isWildcard, type Pattern } from '../../ir/types';
import { escapeRegex } from '../../regex/escape';

export function patternToPcre(pattern: Pattern, caseInsensitive: boolean, endAnchor: '\\z' | '$'): string | undefined {
  let p = pattern;
  const open = startsWithStar(p);
  const close = endsWithStar(p) && p.length > (open ? 1 : 0);
  if (open) p = p.slice(1);
  if (close) p = p.slice(0, -1);
  let body = '';
  let crosses = false;
  for (const part of p) {
    if (typeof part === 'string') body += escapeRegex(part, 'pcre');
    else if (isWildcard(part)) {
      body += part.wildcard === '*' ? '.*' : '.';
      crosses = true;
    } else return undefined;
  }
  const flags = `${caseInsensitive ? 'i' : ''}${crosses ? 's' : ''}`;
  return `${flags ? `(?${flags})` : ''}${open ? '' : '^'}${body}${close ? '' : endAnchor}`;
}
