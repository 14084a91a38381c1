import { Worker } from "node:worker_threads";

/**
 * A worker thread running the TypeScript module `entry` (a file URL).
 * NOTE: gen-dump runs as TypeScript through tsx's loader, which a worker thread does not
 * inherit; the worker registers it itself before importing its TypeScript entry.
 */
export function startTsWorker(entry: URL, workerData?: unknown): Worker {
  const api = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData });
}
