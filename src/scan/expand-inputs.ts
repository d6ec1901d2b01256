/**
 * Turns the command line's inputs into an ordered list of things to read: files, directories walked
 * recursively in byte order of names, globs, stdin. Order is deterministic so output is reproducible.
 * A missing literal path stays in the list: opening it reports it like any unreadable file.
 */
import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { globToRegExp, hasGlobMeta, splitGlob, unescapeGlob } from './glob';
import type { ScanIssue } from './types';

export type InputEntry =
  | { readonly kind: 'file'; readonly path: string; readonly size?: number }
  | { readonly kind: 'stdin' }
  | { readonly kind: 'issue'; readonly issue: ScanIssue };

export const STDIN_NAME = '-';

export async function expandInputs(inputs: readonly string[], cwd: string): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  const seen = new Set<string>();
  const addFile = (display: string, size?: number): void => {
    const key = path.resolve(cwd, display);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(size === undefined ? { kind: 'file', path: display } : { kind: 'file', path: display, size });
  };
  if (inputs.length === 0) return [{ kind: 'stdin' }];
  for (const input of inputs) {
    if (input === STDIN_NAME) {
      out.push({ kind: 'stdin' });
      continue;
    }
    const stat = await fs.stat(path.resolve(cwd, input)).catch(() => undefined);
    if (stat?.isDirectory()) {
      await walk(cwd, input, '', () => true, Infinity, addFile, out);
    } else if (stat) {
      addFile(input, stat.isFile() ? stat.size : undefined);
    } else if (hasGlobMeta(input)) {
      const before = out.length;
      const { base, pattern } = splitGlob(input);
      const re = globToRegExp(pattern);
      const depth = pattern.includes('**') ? Infinity : pattern.split('/').length;
      await walk(cwd, unescapeGlob(base), '', (rel) => re.test(rel), depth, addFile, out);
      if (out.length === before) {
        out.push({
          kind: 'issue',
          issue: { code: 'NO_MATCHING_FILES', severity: 'error', message: `no file matches "${input}"` },
        });
      }
    } else {
      addFile(input); // reported as missing when opened
    }
  }
  return out;
}

async function walk(
  cwd: string,
  base: string,
  rel: string,
  accept: (rel: string) => boolean,
  depth: number,
  addFile: (display: string, size?: number) => void,
  out: InputEntry[],
  visited: Set<string> = new Set(),
): Promise<void> {
  const dirDisplay = joinDisplay(base, rel);
  const dirAbs = path.resolve(cwd, dirDisplay || '.');
  const real = await fs.realpath(dirAbs).catch(() => dirAbs);
  if (visited.has(real)) return; // symlink loop
  visited.add(real);
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dirAbs, { withFileTypes: true });
  } catch (e) {
    out.push({
      kind: 'issue',
      issue: { code: 'FILE_UNREADABLE', severity: 'error', file: dirDisplay || '.', message: errorText(e) },
    });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    const display = joinDisplay(base, childRel);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    let size: number | undefined;
    if (entry.isSymbolicLink()) {
      const s = await fs.stat(path.resolve(cwd, display)).catch(() => undefined);
      isDir = s?.isDirectory() ?? false;
      isFile = s?.isFile() ?? false;
      size = s?.size;
    }
    if (isDir) {
      if (depth > 1) await walk(cwd, base, childRel, accept, depth - 1, addFile, out, visited);
    } else if (isFile && accept(childRel)) {
      size ??= (await fs.stat(path.resolve(cwd, display)).catch(() => undefined))?.size;
      addFile(display, size);
    }
  }
}

function joinDisplay(base: string, rel: string): string {
  if (base === '' || base === '.') return rel;
  if (rel === '') return base;
  return base.endsWith('/') ? `${base}${rel}` : `${base}/${rel}`;
}

export function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e) {
    const code = String((e as { code: unknown }).code);
    const known: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EISDIR: 'is a directory',
      EPERM: 'operation not permitted',
    };
    if (known[code]) return known[code] as string;
  }
  return e instanceof Error ? e.message : String(e);
}
