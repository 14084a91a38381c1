import { describe, expect, it } from "vitest";
import { ProgressBar, renderProgressLine } from "../../src/cli/progress.ts";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => (writes.push(text), true) };
}

describe("renderProgressLine", () => {
  it("shows the bar, rows done of expected, rows/s and the ETA", () => {
    const line = renderProgressLine({ table: "public.orders", rows: 250_000, total: 1_000_000, seconds: 2, done: false });
    expect(line).toBe(`${"public.orders".padEnd(30)} [#####---------------] 250,000/1,000,000 rows  125,000 rows/s  ETA 6s`);
  });

  it("writes long ETAs in minutes and hours", () => {
    expect(renderProgressLine({ table: "t", rows: 100, total: 100_000, seconds: 1, done: false })).toMatch(/ETA 16m39s$/);
    expect(renderProgressLine({ table: "t", rows: 1, total: 100_000, seconds: 1, done: false })).toMatch(/ETA 27h46m$/);
  });

  it("follows the rows past a stale estimate, without an ETA", () => {
    const line = renderProgressLine({ table: "t", rows: 1500, total: 1000, seconds: 1, done: false });
    expect(line).toContain("[####################] 1,500/1,500 rows  1,500 rows/s");
    expect(line).not.toContain("ETA");
  });

  it("a finished table shows a full bar and its duration", () => {
    const line = renderProgressLine({ table: "t", rows: 10, total: 0, seconds: 75, done: true });
    expect(line).toMatch(/\[#{20}\] 10\/10 rows  0 rows\/s  1m15s$/);
  });

  it("a table name cannot drive the terminal and is cut to its column", () => {
    const line = renderProgressLine({ table: "evil\x1b[2J\nname", rows: 0, total: 0, seconds: 0, done: false });
    expect(line).not.toMatch(/[\x00-\x1f]/);
    expect(line.startsWith("evil\\x1B[2J\\nname")).toBe(true);
    const long = renderProgressLine({ table: "x".repeat(50), rows: 0, total: 0, seconds: 0, done: false });
    expect(long.startsWith(`${"x".repeat(29)}… [`)).toBe(true);
  });
});

describe("ProgressBar", () => {
  it("draws nothing off a terminal or with --quiet", () => {
    expect(ProgressBar.forTerminal(false, fakeStream(false))).toBeNull();
    expect(ProgressBar.forTerminal(true, fakeStream(true))).toBeNull();
    expect(ProgressBar.forTerminal(false, fakeStream(true))).toBeInstanceOf(ProgressBar);
  });

  it("keeps one line per table in flight and leaves finished lines above", () => {
    const stream = fakeStream(true);
    let now = 0;
    const bar = new ProgressBar(stream, () => now);
    bar.event({ type: "table-start", table: "a", estimate: 100 });
    bar.event({ type: "table-start", table: "b", total: 10 });
    now = 1000;
    bar.event({ type: "rows", table: "a", rows: 50 });
    bar.event({ type: "table-done", table: "b", rows: 10 });
    bar.event({ type: "table-done", table: "a", rows: 100 });
    const last = stream.writes.at(-1)!;
    expect(last).toContain("a  ");
    expect(last.endsWith("\n\x1b[J")).toBe(true);
    // Two tables in flight: the next drawing goes back up one line first.
    expect(stream.writes[2]).toMatch(/^\r\x1b\[1A/);
    expect(stream.writes[2]).toContain("50/100 rows  50 rows/s  ETA 1s");
  });

  it("redraws progress at most ten times a second", () => {
    const stream = fakeStream(true);
    let now = 0;
    const bar = new ProgressBar(stream, () => now);
    bar.start("t", 1000);
    for (let i = 1; i <= 100; i++) {
      now = i * 10;
      bar.update(i);
    }
    expect(stream.writes.length).toBe(1 + 10);
  });
});
