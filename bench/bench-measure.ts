import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One run of a client program: wall time, CPU time (user + system) and peak RSS of the process (bytes). */
export interface Sample {
  readonly seconds: number;
  /** NaN when it cannot be measured (no GNU time). */
  readonly cpuSeconds: number;
  readonly peakRss: number;
}

const TIME = "/usr/bin/time";
const haveTime = existsSync(TIME);

/** How peak memory is measured on this machine, for the report. */
export const RSS_METHOD = haveTime ? "`/usr/bin/time -v` (maximum resident set size)" : "polling VmHWM in /proc/<pid>/status every 10 ms";

/**
 * Run `command args` to completion and measure it. Peak RSS is the client process's
 * maximum resident set size (GNU time), or VmHWM sampled from /proc without GNU time.
 * A non-zero exit throws with the program's stderr.
 */
export async function measure(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Sample> {
  const report = join(tmpdir(), `gen-dump-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [cmd, argv] = haveTime ? [TIME, ["-v", "-o", report, command, ...args]] : [command, [...args]];
  const started = performance.now();
  const child = spawn(cmd, argv, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  let polled = 0;
  const poll = haveTime ? undefined : setInterval(() => (polled = Math.max(polled, vmHwm(child.pid))), 10);
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (c) => resolve(c ?? -1));
  });
  const seconds = (performance.now() - started) / 1000;
  if (poll) clearInterval(poll);
  let peakRss = polled;
  let cpuSeconds = Number.NaN;
  if (haveTime && existsSync(report)) {
    const text = readFileSync(report, "utf8");
    peakRss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? 0) * 1024;
    cpuSeconds = Number(/User time \(seconds\): ([\d.]+)/.exec(text)?.[1] ?? "NaN") + Number(/System time \(seconds\): ([\d.]+)/.exec(text)?.[1] ?? "NaN");
    rmSync(report, { force: true });
  }
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr.slice(0, 2000)}`);
  return { seconds, cpuSeconds, peakRss };
}

function vmHwm(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Bytes of a file, or of every file under a directory. */
export function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0);
}

/** The median of the samples, per field. */
export function median(samples: readonly Sample[]): Sample {
  const mid = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  return { seconds: mid(samples.map((s) => s.seconds)), cpuSeconds: mid(samples.map((s) => s.cpuSeconds)), peakRss: mid(samples.map((s) => s.peakRss)) };
}
