import type { Worker } from "node:worker_threads";
import type { DumpManifest } from "../emitter/restore-module-emitter.ts";
import type { DatabaseSchema } from "../model/schema-model.ts";
import { type SentError, receiveError } from "./table-dump-messages.ts";
import { startTsWorker } from "./ts-worker.ts";

export interface EmitRequest {
  readonly schema: DatabaseSchema;
  readonly manifest: DumpManifest;
}

export type FromEmitter =
  | { readonly type: "ready" }
  | { readonly type: "texts"; readonly schema: string; readonly restore: string }
  | { readonly type: "failed"; readonly error: SentError };

/** The texts of a dump's `schema.ts` and `restore.ts`. */
export interface ModuleTexts {
  readonly schema: string;
  readonly restore: string;
}

/**
 * Writes `schema.ts` and `restore.ts` in a worker thread started when the dump starts:
 * the emitters need ts-morph, whose loading (about 0.5 s of CPU) then overlaps the
 * reading of the rows instead of delaying it. The texts are the same as the emitters
 * give in the main thread; a worker that fails or stops fails the dump.
 */
export class EmitterThread {
  readonly #worker: Worker;
  readonly #messages: Promise<FromEmitter>[] = [];
  #resolve: ((message: FromEmitter) => void)[] = [];

  constructor() {
    this.#worker = startTsWorker(new URL("./emitter-worker.ts", import.meta.url));
    this.#expect();
    this.#worker.on("message", (message: FromEmitter) => {
      if (message.type !== "ready") this.#resolve.shift()?.(message);
    });
    const fail = (error: Error) => {
      for (const resolve of this.#resolve.splice(0)) resolve({ type: "failed", error: { message: error.message } });
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`The thread that writes schema.ts and restore.ts stopped (exit code ${code}).`)));
  }

  /** The two modules' texts for the final schema and manifest. */
  async emit(schema: DatabaseSchema, manifest: DumpManifest): Promise<ModuleTexts> {
    const reply = this.#messages.shift()!;
    this.#worker.postMessage({ schema, manifest } satisfies EmitRequest);
    const message = await reply;
    this.#expect();
    if (message.type === "failed") throw receiveError(message.error);
    if (message.type !== "texts") throw new Error("The thread that writes schema.ts and restore.ts answered out of turn.");
    return { schema: message.schema, restore: message.restore };
  }

  async close(): Promise<void> {
    this.#worker.removeAllListeners("exit");
    await this.#worker.terminate();
  }

  #expect(): void {
    this.#messages.push(new Promise((resolve) => this.#resolve.push(resolve)));
  }
}
