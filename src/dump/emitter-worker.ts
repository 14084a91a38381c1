/**
 * The thread that writes `schema.ts` and `restore.ts` for a dump (see emitter-thread.ts).
 * Importing the emitters loads ts-morph and the TypeScript compiler, about half a second
 * of CPU, which this thread spends while the main thread reads rows.
 */
import { parentPort } from "node:worker_threads";
import { emitRestoreModule } from "../emitter/restore-module-emitter.ts";
import { emitSchemaModule } from "../emitter/schema-module-emitter.ts";
import type { EmitRequest, FromEmitter } from "./emitter-thread.ts";
import { sendError } from "./table-dump-messages.ts";

const port = parentPort!;
const send = (message: FromEmitter) => port.postMessage(message);

port.on("message", (request: EmitRequest) => {
  try {
    send({ type: "texts", schema: emitSchemaModule(request.schema), restore: emitRestoreModule(request.manifest) });
  } catch (error) {
    send({ type: "failed", error: sendError(error) });
  }
});
send({ type: "ready" });
