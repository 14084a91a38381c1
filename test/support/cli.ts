import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where package.json is). */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const tsxBin = join(repoRoot, "node_modules", ".bin", "tsx");
const genDumpBin = join(repoRoot, "bin", "gen-dump.js");

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Run a command as a user would, capture its output and exit code. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, DATABASE_URL: "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A child that exits without reading its input must not fail the test run (EPIPE).
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/** `gen-dump ARGS` through the real bin script. */
export function genDump(args: readonly string[], options?: RunOptions): Promise<RunResult> {
  return run(process.execPath, [genDumpBin, ...args], options);
}

/** `tsx DUMP/restore.ts ARGS`, as a user runs a dump. */
export function tsxRestore(dumpDir: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
  return run(tsxBin, [join(dumpDir, "restore.ts"), ...args], options);
}

/** `tsx SCRIPT ARGS`. */
export function tsx(script: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
  return run(tsxBin, [script, ...args], options);
}

/** A fresh temporary directory. */
export function tempDir(prefix = "gen-dump-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file under `dir` (relative path → bytes as latin1 string), for exact comparison. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, "latin1");
    }
  };
  walk(dir);
  return out;
}

/** A running `gen-dump ARGS`, for tests that act while it works (kill it, write meanwhile). */
export interface RunningCommand {
  readonly child: import("node:child_process").ChildProcess;
  /** Resolves when it exits, with its output and exit code (-1 and the signal when killed). */
  readonly done: Promise<RunResult & { readonly signal: NodeJS.Signals | null }>;
}

export function startGenDump(args: readonly string[], options: RunOptions = {}): RunningCommand {
  const child = spawn(process.execPath, [genDumpBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, DATABASE_URL: "", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdin!.end(options.input ?? "");
  const done = new Promise<RunResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}
