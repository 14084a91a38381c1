import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/**
 * Where the values of a row line are, and what literal form each one has. The fast
 * reader gives values only; `check` comes back here for the few rows it has something
 * to say about, to name the exact line and column and to tell a plain literal (which
 * the row's TypeScript type may refuse) from a tag call (which every column accepts).
 */

/** The TypeScript type of a literal as the compiler sees it against a column's type. */
export type LiteralForm = "string" | "number" | "bigint" | "boolean" | "null" | "tag" | "other";

export interface RowElement {
  /** 0-based offset of the value's first character in the line. */
  readonly start: number;
  /** 0-based offset just past the value. */
  readonly end: number;
  readonly form: LiteralForm;
}

/**
 * The top-level values of a row line `[a, b, c],`. Only called on lines the fast reader
 * has read, so it only needs to find boundaries: strings (any quote, with escapes) and
 * brackets are skipped whole; a comma at depth zero ends a value.
 */
export function rowElements(line: string): RowElement[] {
  const out: RowElement[] = [];
  let i = skipSpaces(line, 0);
  if (line[i] !== "[") return out;
  i++;
  for (;;) {
    i = skipSpaces(line, i);
    if (i >= line.length || line[i] === "]") return out;
    const start = i;
    for (let depth = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '"' || c === "'" || c === "`") i = endOfString(line, i) - 1;
      else if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "}" || (c === "]" && depth > 0)) depth--;
      else if ((c === "]" || c === ",") && depth === 0) break;
    }
    let end = i;
    while (end > start && /\s/.test(line[end - 1]!)) end--;
    out.push({ start, end, form: formOf(line.slice(start, end)) });
    if (line[i] !== ",") return out;
    i++;
  }
}

function skipSpaces(line: string, i: number): number {
  while (i < line.length && /\s/.test(line[i]!)) i++;
  return i;
}

/** Index just past the string literal that opens at `i`. */
function endOfString(line: string, i: number): number {
  const quote = line[i];
  for (i++; i < line.length; i++) {
    if (line[i] === "\\") i++;
    else if (line[i] === quote) return i + 1;
  }
  return line.length;
}

/** The literal form of one value's text, as the compiler types it. */
function formOf(text: string): LiteralForm {
  const c = text[0];
  if (c === '"' || c === "'" || c === "`") return "string";
  if (text === "null") return "null";
  if (text === "true" || text === "false") return "boolean";
  if (/^[A-Za-z_$][\w$]*\s*\(/.test(text)) return "tag";
  if (/^[+-]?\s*(NaN|Infinity)$/.test(text)) return "number";
  if (/^-?\s*[0-9][0-9a-fA-FxXoObB_]*n$/.test(text)) return "bigint";
  return /^[+-]?\s*[.0-9]/.test(text) ? "number" : "other";
}

/** A row of a module found again: its 1-based line number and text. */
export interface RowLine {
  readonly line: number;
  readonly text: string;
}

/**
 * Find rows of a data module by their 0-based index: after the `export default` line,
 * every line that starts with `[` (spaces aside) is the next row, as the reader counts.
 */
export async function findRowLines(path: string, rowIndexes: ReadonlySet<number>): Promise<Map<number, RowLine>> {
  const found = new Map<number, RowLine>();
  if (rowIndexes.size === 0) return found;
  let last = -1;
  for (const row of rowIndexes) if (row > last) last = row;
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNo = 0;
  let row = -1;
  let inRows = false;
  try {
    for await (const text of lines) {
      lineNo++;
      if (!inRows) {
        inRows = /^\s*export\s+default\b/.test(text);
        continue;
      }
      if (/^\s*\]\s*\)/.test(text)) break;
      if (!/^\s*\[/.test(text)) continue;
      row++;
      if (rowIndexes.has(row)) found.set(row, { line: lineNo, text });
      if (row >= last) break;
    }
  } finally {
    lines.close();
  }
  return found;
}
