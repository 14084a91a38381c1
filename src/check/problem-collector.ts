import { type CheckCode, type CheckProblem, problem } from "./check-report.ts";

/**
 * Collects errors and notes; beyond `maxListed` errors of one kind in one table, the
 * rest are only counted (a million duplicate keys make one line, not a million).
 */
export class ProblemCollector {
  readonly errors: CheckProblem[] = [];
  readonly notes: CheckProblem[] = [];
  private readonly counts = new Map<string, { count: number; table: string | null; code: CheckCode }>();

  constructor(private readonly maxListed: number) {}

  /** Count an error; true when it is to be listed (then pass it to `error`). */
  admit(table: string | null, code: CheckCode): boolean {
    const key = `${table}\0${code}`;
    const entry = this.counts.get(key) ?? { count: 0, table, code };
    entry.count++;
    this.counts.set(key, entry);
    return entry.count <= this.maxListed;
  }

  /** Add an error already admitted. */
  error(found: CheckProblem): void {
    this.errors.push(found);
  }

  /** Admit and add an error in one step. */
  add(found: CheckProblem): void {
    if (this.admit(found.table, found.code)) this.errors.push(found);
  }

  note(found: CheckProblem): void {
    this.notes.push(found);
  }

  /** Summaries of what was counted but not listed; call once at the end. */
  finish(): void {
    for (const { count, table, code } of this.counts.values()) {
      if (count <= this.maxListed) continue;
      const what = code === "duplicate" ? "duplicate keys" : code === "dangling" ? "dangling references" : `${code} errors`;
      this.errors.push(problem("more", `${count - this.maxListed} more ${what} not listed (${count} in all).`, { table }));
    }
  }
}
