/** The names of the compile targets, without loading any backend (the CLI lists them before it needs one). */
import { QUERY_TARGETS, type QueryTarget } from '../backends/query/types';

export type Target = 'grep' | 'ir' | 'plan' | QueryTarget;
export const TARGETS: readonly Target[] = ['grep', 'plan', ...QUERY_TARGETS];
