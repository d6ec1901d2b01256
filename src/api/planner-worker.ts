/**
 * Plans rules in a worker thread and sends back only plain data. Everything the compiler builds (YAML
 * trees, IR) dies with the worker's heap, so the scanning process does not carry it for the whole scan.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { planInThisThread, type PlannerInput } from './plan-off-thread';

parentPort!.postMessage(planInThisThread(workerData as PlannerInput));
