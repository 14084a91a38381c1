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
  /** The row this one is compared with, by tool name (peers, --jobs and floor rows). */
  readonly comparedWith?: string;
  /** The median, over the rounds, of the compared row's time / this one's ("ours") or this one's / the compared row's ("mine"). */
  readonly ratio?: number;
  readonly ratioOf?: "ours" | "mine";
  readonly note?: string;
}

const MB = 1024 * 1024;

function fmt(n: number, digits = 2): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * The results as a Markdown table: per scale, engine and operation, gen-dump first, then
 * the rows compared with another: a peer (time ratio gen-dump/peer, < 1: gen-dump is
 * faster), `--jobs N` (one job / N jobs: the speed-up), a floor (floor/peer). Peak memory
 * ratios are the compared row's RSS / this one's.
 */
export function resultTable(rows: readonly BenchRow[]): string {
  const head =
    "| scale | engine | op | tool | reps | wall s (median) | client CPU s | server CPU s | rows/s | output MB | peak RSS MB | time ratio | ratio is | RSS gen-dump/peer |\n" +
    "|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n";
  const lines = rows.map((r) => {
    const ours = r.comparedWith ? rows.find((o) => o.scale === r.scale && o.engine === r.engine && o.operation === r.operation && o.tool === r.comparedWith) : undefined;
    const timeRatio = r.ratio !== undefined && !Number.isNaN(r.ratio) ? fmt(r.ratio) : "";
    const ratioIs = ours === undefined ? "" : r.ratioOf === "mine" ? `this / ${ours.tool}` : `${ours.tool} / this`;
    const rssRatio = ours && r.ratioOf !== "mine" && r.sample.peakRss > 0 ? fmt(ours.sample.peakRss / r.sample.peakRss) : "";
    const cells = [
      r.scale.toLocaleString("en-US"),
      r.engine,
      r.operation,
      r.tool + (r.note ? ` (${r.note})` : ""),
      String(r.repetitions),
      fmt(r.sample.seconds),
      Number.isNaN(r.sample.cpuSeconds) ? "" : fmt(r.sample.cpuSeconds),
      Number.isNaN(r.sample.serverCpuSeconds) ? "" : fmt(r.sample.serverCpuSeconds),
      Math.round(r.rows / r.sample.seconds).toLocaleString("en-US"),
      r.bytes > 0 ? fmt(r.bytes / MB, 1) : "",
      fmt(r.sample.peakRss / MB, 0),
      timeRatio,
      ratioIs,
      rssRatio,
    ];
    return `| ${cells.join(" | ")} |`;
  });
  return head + lines.join("\n") + "\n";
}
