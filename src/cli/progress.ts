import { sanitizeComment } from "../encoding/literal-encoder.ts";

/**
 * Per-table progress on a terminal: a bar, rows done, rows/s and an ETA, redrawn in
 * place at most ten times a second. Off a terminal, or with --quiet, nothing is drawn.
 */
export class ProgressBar {
  private table = "";
  private total = 0;
  private started = 0;
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  static forTerminal(quiet: boolean): ProgressBar | null {
    return !quiet && process.stderr.isTTY ? new ProgressBar() : null;
  }

  start(table: string, total: number): void {
    this.table = sanitizeComment(table); // NOTE: a table name must not drive the terminal
    this.total = total;
    this.started = performance.now();
    this.lastDraw = 0;
    this.draw(0, false);
  }

  update(rows: number): void {
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(rows, false);
  }

  done(rows: number): void {
    this.draw(rows, true);
  }

  private draw(rows: number, final: boolean): void {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? rows / seconds : 0;
    const total = Math.max(this.total, rows);
    const fraction = total > 0 ? rows / total : 1;
    const filled = Math.round(fraction * 20);
    const bar = `[${"#".repeat(filled)}${"-".repeat(20 - filled)}]`;
    const eta = !final && rate > 0 && total > rows ? `  ETA ${Math.ceil((total - rows) / rate)}s` : "";
    const line = `${this.table.slice(0, 30).padEnd(30)} ${bar} ${rows.toLocaleString("en-US")}/${total.toLocaleString("en-US")} rows  ${Math.round(rate).toLocaleString("en-US")} rows/s${eta}`;
    this.stream.write(`\r\x1b[2K${line}${final ? "\n" : ""}`);
  }
}
