import { sanitizeComment } from "../encoding/literal-encoder.ts";

/** One table's progress, as the bar shows it. */
export interface TableProgress {
  /** Display name (sanitized before drawing). */
  readonly table: string;
  readonly rows: number;
  /** Expected rows: the catalog's estimate when dumping, the manifest's count when restoring (0: unknown). */
  readonly total: number;
  readonly seconds: number;
  /** The table is finished: no ETA, the line is final. */
  readonly done: boolean;
}

/** A progress event of dump() or restoreDump(); `estimate` (dump) and `total` (restore) are the same thing. */
export type ProgressEvent =
  | { readonly type: "table-start"; readonly table: string; readonly estimate?: number; readonly total?: number }
  | { readonly type: "rows"; readonly table: string; readonly rows: number }
  | { readonly type: "table-done"; readonly table: string; readonly rows: number };

const WIDTH = 20;
const NAME = 30;

function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/**
 * The line of one table: name, bar, rows done of expected, rows/s and the ETA. A pure
 * function of the state, so that it can be tested. When the rows pass the estimate (a
 * stale catalog estimate), the expected count follows the rows and the ETA is left out.
 */
export function renderProgressLine(p: TableProgress): string {
  const name = sanitizeComment(p.table); // NOTE: a table name must not drive the terminal
  const label = name.length > NAME ? `${name.slice(0, NAME - 1)}…` : name.padEnd(NAME);
  const total = Math.max(p.total, p.rows);
  const fraction = p.done ? 1 : total > 0 ? p.rows / total : 0;
  const filled = Math.min(WIDTH, Math.floor(fraction * WIDTH));
  const bar = `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`;
  const rate = p.seconds > 0 ? p.rows / p.seconds : 0;
  const eta = !p.done && rate > 0 && p.total > p.rows ? `  ETA ${duration((p.total - p.rows) / rate)}` : p.done ? `  ${duration(p.seconds)}` : "";
  return `${label} ${bar} ${count(p.rows)}/${count(total)} rows  ${count(rate)} rows/s${eta}`;
}

interface Active {
  table: string;
  rows: number;
  total: number;
  started: number;
}

/**
 * Progress bars on a terminal, one line per table being read or loaded (several with
 * --jobs), redrawn in place at most ten times a second; a finished table's line stays
 * above them. Off a terminal, or with --quiet, `forTerminal` gives null and nothing is drawn.
 */
export class ProgressBar {
  private readonly active = new Map<string, Active>();
  private drawn = 0;
  private lastDraw = -Infinity;
  private current = "";

  constructor(
    private readonly stream: Pick<NodeJS.WriteStream, "write"> = process.stderr,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  static forTerminal(quiet: boolean, stream: Pick<NodeJS.WriteStream, "write" | "isTTY"> = process.stderr): ProgressBar | null {
    return !quiet && stream.isTTY === true ? new ProgressBar(stream) : null;
  }

  /** Feed a dump or restore progress event. */
  event(e: ProgressEvent): void {
    if (e.type === "table-start") this.start(e.table, e.estimate ?? e.total ?? 0);
    else if (e.type === "rows") this.update(e.rows, e.table);
    else this.done(e.rows, e.table);
  }

  start(table: string, total: number): void {
    this.current = table;
    this.active.set(table, { table, rows: 0, total, started: this.clock() });
    this.redraw([], true);
  }

  update(rows: number, table = this.current): void {
    const entry = this.active.get(table);
    if (entry === undefined) return;
    entry.rows = rows;
    this.redraw([], false);
  }

  done(rows: number, table = this.current): void {
    const entry = this.active.get(table);
    if (entry === undefined) return;
    this.active.delete(table);
    this.redraw([this.line(entry, rows, true)], true);
  }

  private line(entry: Active, rows: number, done: boolean): string {
    return renderProgressLine({ table: entry.table, rows, total: entry.total, seconds: (this.clock() - entry.started) / 1000, done });
  }

  /** Rewrite the active lines in place, with `finished` lines put above them for good. */
  private redraw(finished: readonly string[], force: boolean): void {
    const now = this.clock();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const lines = [...finished, ...[...this.active.values()].map((a) => this.line(a, a.rows, false))];
    const up = this.drawn > 1 ? `\x1b[${this.drawn - 1}A` : "";
    const body = lines.map((l, i) => `\x1b[2K${l}${i < finished.length || i < lines.length - 1 ? "\n" : ""}`).join("");
    // `\x1b[J` clears what is left below of a longer earlier drawing.
    this.stream.write(`\r${up}${body}\x1b[J`);
    this.drawn = lines.length - finished.length;
  }
}
