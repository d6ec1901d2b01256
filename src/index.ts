/** sigrep as a library: the public API (see src/api.ts). */
export * from './api';
