/**
 * The library's front door: load rule files, compile them, convert them to a target, plan and scan.
 * Only re-exports; the CLI (and anything else that embeds sigrep) calls these.
 */
export * from './api/rule-set';
export * from './api/targets';
export * from './api/convert';
export * from './api/plan-and-scan';
export * from './api/scan-workers';
