/**
 * Locating ../shared (the team's reference material) from compiled tests. Users' clones do not have it:
 * tests that need it skip those cases with a message saying so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Project root: compiled tests live in dist/test/<area>/. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED, ...parts);
}

export function hasShared(...parts: string[]): boolean {
  return fs.existsSync(sharedPath(...parts));
}

export const MISSING_SHARED = `../shared is absent (a user's clone): cases that need the shared corpora are skipped`;

export function readJsonLines<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}
