/**
 * A `--jobs` worker thread: opens its own source on the main source's shared snapshot and
 * runs the tasks it is sent, one at a time, with the same code as a one-job dump
 * (table-dumper.ts): whole tables into their modules, key ranges of a big table into
 * segments the main thread stitches, so the files are byte for byte the same.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SourceConnection } from "../dialects/dialect.ts";
import { loadDialect } from "../dialects/registry.ts";
import { type DumpTask, type FromWorker, type TaskResult, type ToWorker, type WorkerSetup, sendError } from "./table-dump-messages.ts";
import { type DumpProgress, dumpChunkRows, dumpTableRows } from "./table-dumper.ts";

const setup = workerData as WorkerSetup;
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);

async function start(): Promise<SourceConnection> {
  const dialect = await loadDialect(setup.url.engine);
  return dialect.openSource({ url: setup.url, selection: setup.selection, snapshot: setup.snapshot });
}

const opened = start();
opened.then(
  () => send({ type: "ready" }),
  (error: unknown) => send({ type: "fatal", error: sendError(error) }),
);

// NOTE: messages are handled one after another (a chain), so a table never starts before
// the previous one is finished and `close` comes last.
let chain: Promise<void> = Promise.resolve();
port.on("message", (message: ToWorker) => {
  chain = chain.then(() => handle(message));
});

async function handle(message: ToWorker): Promise<void> {
  const source = await opened.catch(() => null);
  if (message.type === "close") {
    await source?.close().catch(() => undefined);
    send({ type: "closed" });
    port.close();
    return;
  }
  if (source === null) return;
  try {
    send({ type: "done", id: message.id, result: await runTask(source, message.task, message.id) });
  } catch (error) {
    send({ type: "failed", id: message.id, error: sendError(error) });
  }
}

async function runTask(source: SourceConnection, task: DumpTask, id: number): Promise<TaskResult> {
  const common = { source, table: task.table, maxRowCount: setup.maxRowCount };
  if (task.kind === "chunk") {
    const segment = setup.simulate ? null : task.segment;
    return { chunk: await dumpChunkRows({ ...common, range: task.range, segment, onRows: (rows) => send({ type: "chunk-rows", id, rows }) }) };
  }
  const onProgress = (event: DumpProgress) => send({ type: "progress", event });
  return { modules: await dumpTableRows({ ...common, dir: setup.dir, simulate: setup.simulate, onProgress }) };
}
