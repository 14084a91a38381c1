import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One run of a client program: wall time, CPU time (user + system) and peak RSS of the process (bytes). */
export interface Sample {
  readonly seconds: number;
  /** NaN when it cannot be measured (no GNU time). */
  readonly cpuSeconds: number;
  /** CPU time the database server spent meanwhile (all its processes); NaN when not measured. */
  readonly serverCpuSeconds: number;
  readonly peakRss: number;
}

/** Total CPU seconds a server has used so far (its processes, live and ended), read before and after a run. */
export type CpuProbe = () => number;

const TIME = "/usr/bin/time";
const haveTime = existsSync(TIME);

/** How peak memory is measured on this machine, for the report. */
export const RSS_METHOD = haveTime ? "`/usr/bin/time -v` (maximum resident set size)" : "polling VmHWM in /proc/<pid>/status every 10 ms";

/**
 * Run `command args` to completion and measure it. Peak RSS is the client process's
 * maximum resident set size (GNU time), or VmHWM sampled from /proc without GNU time.
 * A non-zero exit throws with the program's stderr.
 */
export async function measure(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; server?: CpuProbe } = {}): Promise<Sample> {
  const { env, server } = options;
  const serverBefore = server?.() ?? Number.NaN;
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
  const serverCpuSeconds = server === undefined ? Number.NaN : (await settled(server)) - serverBefore;
  return { seconds, cpuSeconds, serverCpuSeconds, peakRss };
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

/**
 * The probe's value once the server has caught up: a backend's CPU time reaches its
 * postmaster only when the backend has ended and been reaped, a moment after the client
 * exits. Read after 100 ms, then every 25 ms until two reads agree (at most 1 s).
 */
async function settled(probe: CpuProbe): Promise<number> {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await pause(100);
  let last = probe();
  for (let i = 0; i < 36; i++) {
    await pause(25);
    const now = probe();
    if (now === last) break;
    last = now;
  }
  return last;
}

/** The median of some numbers (NaN for none). */
export function medianOf(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The median of the samples, per field. */
export function median(samples: readonly Sample[]): Sample {
  const mid = (field: keyof Sample) => medianOf(samples.map((s) => s[field]));
  return { seconds: mid("seconds"), cpuSeconds: mid("cpuSeconds"), serverCpuSeconds: mid("serverCpuSeconds"), peakRss: mid("peakRss") };
}

/**
 * CPU seconds used so far by process `pid` and its children: its own and its ended
 * children's (`utime`, `stime`, `cutime`, `cstime` of /proc/PID/stat), plus each live
 * child's own. For a PostgreSQL postmaster that is the whole server: a backend's time
 * moves into `cutime`/`cstime` when it ends. NaN when /proc cannot be read.
 * @see https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */
export function processTreeCpuSeconds(pid: number, ticksPerSecond: number): number {
  const root = statFields(pid);
  if (root === null) return Number.NaN;
  let ticks = root[11]! + root[12]! + root[13]! + root[14]!;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields !== null && fields[1] === pid) ticks += fields[11]! + fields[12]!;
  }
  return ticks / ticksPerSecond;
}

/** The numeric fields of /proc/PID/stat after the command name (index 0 is the state), or null. */
function statFields(pid: number): number[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // NOTE: the command name, in parentheses, may hold spaces and parentheses itself.
    return text.slice(text.lastIndexOf(")") + 2).split(" ").map(Number);
  } catch {
    return null;
  }
}
