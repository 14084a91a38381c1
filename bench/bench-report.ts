import type { Sample } from "./bench-measure.ts";

/** One measured program at one scale. */
export interface BenchRow {
  readonly scale: number;
  readonly engine: "postgres" | "sqlite";
  readonly operation: "dump" | "restore";
  readonly tool: string;
  /** Rows moved (all tables). */
  readonly rows: number;
  readonly sample: Sample;
  readonly repetitions: number;
  /** Output bytes (dump), or the input replayed (restore). */
  readonly bytes: number;
  /** The gen-dump row this one is compared with, by tool name (peers only). */
  readonly comparedWith?: string;
  readonly note?: string;
}

const MB = 1024 * 1024;

function fmt(n: number, digits = 2): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * The results as a Markdown table: per scale, engine and operation, gen-dump first, then
 * each peer with the ratios gen-dump/peer of time and peak memory (time ratio < 1:
 * gen-dump is faster).
 */
export function resultTable(rows: readonly BenchRow[]): string {
  const head = "| scale | engine | op | tool | reps | wall s (median) | client CPU s | rows/s | output MB | peak RSS MB | time gen-dump/peer | RSS gen-dump/peer |\n|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  const lines = rows.map((r) => {
    const ours = r.comparedWith ? rows.find((o) => o.scale === r.scale && o.engine === r.engine && o.operation === r.operation && o.tool === r.comparedWith) : undefined;
    const timeRatio = ours ? fmt(ours.sample.seconds / r.sample.seconds) : "";
    const rssRatio = ours && r.sample.peakRss > 0 ? fmt(ours.sample.peakRss / r.sample.peakRss) : "";
    const cells = [
      r.scale.toLocaleString("en-US"),
      r.engine,
      r.operation,
      r.tool + (r.note ? ` (${r.note})` : ""),
      String(r.repetitions),
      fmt(r.sample.seconds),
      Number.isNaN(r.sample.cpuSeconds) ? "" : fmt(r.sample.cpuSeconds),
      Math.round(r.rows / r.sample.seconds).toLocaleString("en-US"),
      fmt(r.bytes / MB, 1),
      fmt(r.sample.peakRss / MB, 0),
      timeRatio,
      rssRatio,
    ];
    return `| ${cells.join(" | ")} |`;
  });
  return head + lines.join("\n") + "\n";
}
