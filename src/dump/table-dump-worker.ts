/**
 * A `--jobs` worker thread: opens its own source on the main source's shared snapshot and
 * dumps the tables it is sent, one at a time, with the same code as a one-job dump
 * (table-dumper.ts), so its files are byte for byte the same.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SourceConnection } from "../dialects/dialect.ts";
import { loadDialect } from "../dialects/registry.ts";
import { type FromWorker, type ToWorker, type WorkerSetup, sendError } from "./table-dump-messages.ts";
import { dumpTableRows } from "./table-dumper.ts";

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
    const modules = await dumpTableRows({
      source,
      table: message.table,
      dir: setup.dir,
      maxRowCount: setup.maxRowCount,
      simulate: setup.simulate,
      onProgress: (event) => send({ type: "progress", event }),
    });
    send({ type: "done", index: message.index, modules });
  } catch (error) {
    send({ type: "failed", index: message.index, error: sendError(error) });
  }
}
