/**
 * Plans rules in a worker thread and sends back only plain data. Everything the compiler builds (YAML
 * trees, IR) dies with the worker's heap, so the scanning process does not carry it for the whole scan.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { planInThisThread, type PlannerInput } from './plan-off-thread';

// The yaml package's parser reads process.env.LOG_TOKENS for every token, and process.env is an object
// whose every read calls into C++ (~300 ns in a worker): for SigmaHQ's rules that was ~0.3 s of planning.
// This short-lived thread needs no live view of the environment; a plain copy reads like any object.
process.env = { ...process.env };

parentPort!.postMessage(planInThisThread(workerData as PlannerInput));
