import { FILE_HEADERS_ONLY, createTwoFilesPatch } from "diff";
import { sanitizeComment } from "../encoding/literal-encoder.ts";
import { type DumpDiff, type TableDiff, tableEqual } from "./diff-dumps.ts";
import type { RowChange, RowSide } from "./row-differ.ts";

/**
 * How `gen-dump diff` shows a `DumpDiff`: one summary line per table (`--stat` stops
 * there), then, for people, a unified diff of the changed rows of each table with the
 * changed values spelled out; or one JSON document for programs.
 */

/** Summary lines: tables added and removed, then one line per table of both dumps. */
export function formatSummary(diff: DumpDiff): string {
  const lines: string[] = [];
  for (const t of diff.tablesRemoved) lines.push(`${name(t.table)}: table removed (${t.rows} rows)`);
  for (const t of diff.tablesAdded) lines.push(`${name(t.table)}: table added (${t.rows} rows)`);
  for (const t of diff.tables) lines.push(tableLine(t));
  const differing = diff.tables.filter((t) => !tableEqual(t)).length + diff.tablesAdded.length + diff.tablesRemoved.length;
  const sum = (f: (t: TableDiff) => number) => diff.tables.reduce((n, t) => n + f(t), 0);
  lines.push(
    diff.equal
      ? `equal: ${diff.tables.length} tables, ${sum((t) => t.rowsA)} rows`
      : `${differing} of ${diff.tables.length + diff.tablesAdded.length + diff.tablesRemoved.length} tables differ: ` +
          `${sum((t) => t.changed)} rows changed, ${sum((t) => t.added)} added, ${sum((t) => t.removed)} removed`,
  );
  return lines.map((l) => l + "\n").join("");
}

function tableLine(t: TableDiff): string {
  if (tableEqual(t)) return `${name(t.table)}: equal (${t.rowsA} rows)`;
  let line = `${name(t.table)}: ${t.changed} changed, ${t.added} added, ${t.removed} removed (${t.rowsA} → ${t.rowsB} rows)`;
  const columns = [
    ...t.columnsAdded.map((c) => `+${name(c.column)} ${name(c.type)}`),
    ...t.columnsRemoved.map((c) => `-${name(c.column)} ${name(c.type)}`),
    ...t.columnsChanged.map((c) => `${name(c.column)} ${name(c.from)} → ${name(c.to)}`),
  ];
  if (columns.length > 0) line += `; columns: ${columns.join(", ")}`;
  return line;
}

/**
 * For each table with row changes, a unified diff (built by the `diff` package) of its
 * changed rows only: each row is preceded by a comment line, the same on both sides,
 * naming its key, what changed (`name: "bob" → "bobby"`) and where the row is.
 * At most `maxRows` rows per table are shown.
 */
export function formatRowPatches(diff: DumpDiff, labels: { readonly a: string; readonly b: string }, maxRows = 1000): string {
  let out = "";
  for (const t of diff.tables) {
    if (t.changes.length === 0) continue;
    let before = "";
    let after = "";
    for (const change of t.changes.slice(0, maxRows)) {
      const anchor = `// ${describeChange(change)}\n`;
      before += anchor + (change.a ? change.a.text + "\n" : "");
      after += anchor + (change.b ? change.b.text + "\n" : "");
    }
    const table = sanitizeComment(t.table);
    out += createTwoFilesPatch(`${labels.a}/${table}`, `${labels.b}/${table}`, before, after, undefined, undefined, {
      context: 1,
      headerOptions: FILE_HEADERS_ONLY,
    });
    const hidden = t.added + t.removed + t.changed - Math.min(maxRows, t.changes.length);
    if (hidden > 0) out += `... ${hidden} more changed rows of ${table} not shown (use --json for all of them)\n`;
  }
  return out;
}

/** `id = 2: name "bob" → "bobby" (data/users.ts:8 → data/users.ts:8)` */
export function describeChange(change: RowChange): string {
  const columns = Object.keys(change.key);
  const values = Object.values(change.key);
  const key = columns.length === 1 ? `${name(columns[0]!)} = ${values[0]}` : `(${columns.map(name).join(", ")}) = (${values.join(", ")})`;
  const where = (side: RowSide | null) => (side === null ? "" : side.line === null ? side.file : `${side.file}:${side.line}`);
  switch (change.change) {
    case "added":
      return `${key}: added (${where(change.b)})`;
    case "removed":
      return `${key}: removed (${where(change.a)})`;
    default: {
      const values = change.columns.map((c) => `${name(c.column)} ${c.old} → ${c.new}`).join("; ");
      const at = where(change.a) === where(change.b) ? where(change.a) : `${where(change.a)} → ${where(change.b)}`;
      return `${key}: ${values} (${at})`;
    }
  }
}

/** The JSON document of `--json`. */
export function formatJson(diff: DumpDiff): string {
  return JSON.stringify(diff, null, 2) + "\n";
}

/** Names come from the databases: shown through the comment sanitizer (one line, no controls). */
function name(text: string): string {
  return sanitizeComment(text);
}
