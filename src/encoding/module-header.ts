import { type LineScanner, LiteralSyntaxError } from "./literal-scanner.ts";
import { scanner } from "./row-parser.ts";

/**
 * The lines of a data module up to its rows: the `export default rows<…>("key",
 * ["c1", …], [` line, and the lines before it, which are not read but must not change
 * what JavaScript would run (see literal-reader.ts).
 */

/**
 * `export default rows<…>("key", ["c1", "c2"], [` — the type argument is skipped: the
 * table key, the column names, and the scanner right after the `[` that opens the rows.
 */
export function readHeader(text: string, lineNo: number): { p: LineScanner; table: string; columns: string[] } {
  const p = scanner.reset(text, lineNo);
  for (const keyword of ["export", "default", "rows"]) {
    p.skipSpace();
    const at = p.pos;
    if (p.word() !== keyword) p.fail(`expected \`export default rows(\` (the module must be rows(key, columns, [...]))`, at);
  }
  p.skipSpace();
  if (p.peek() === 0x3c /* < */) skipTypeArguments(p);
  p.expect("(", "( after rows");
  const table = headerString(p, "the table key");
  p.expect(",", ", after the table key");
  p.expect("[", "[ to open the column names");
  const columns: string[] = [];
  p.skipSpace();
  while (p.peek() !== 0x5d) {
    columns.push(headerString(p, "a column name"));
    p.skipSpace();
    if (p.peek() === 0x2c) p.pos++;
    else if (p.peek() !== 0x5d) p.fail("expected , or ] after a column name");
    p.skipSpace();
  }
  p.pos++;
  p.expect(",", ", after the column names");
  p.expect("[", "[ to open the rows");
  return { p, table, columns };
}

/**
 * A line before the `export default` line (header comment, imports) is not read, but it
 * must not open a block comment or a template literal, nor hide a line break: any of
 * them could change which `export default` line JavaScript runs.
 */
export function headLine(line: string, lineNo: number): void {
  const comment = line.indexOf("//");
  const code = comment < 0 ? line : line.slice(0, comment);
  const opener = code.search(/\/\*|`/);
  if (opener >= 0) {
    throw new LiteralSyntaxError("block comment or template literal before the rows (the fast reader reads line comments only)", lineNo, opener + 1);
  }
  const terminator = line.search(/[\r\u2028\u2029]/);
  if (terminator >= 0) throw new LiteralSyntaxError("line terminator inside a line", lineNo, terminator + 1);
}

function headerString(p: LineScanner, what: string): string {
  p.skipSpace();
  const c = p.peek();
  if (c !== 0x22 && c !== 0x27 && c !== 0x60) p.fail(`expected ${what} as a string literal`);
  return p.string();
}

/** Skip `<…>`, nested brackets and string literals (`Tables["a>b"]`) included. */
function skipTypeArguments(p: LineScanner): void {
  let depth = 0;
  for (;;) {
    const c = p.peek();
    if (Number.isNaN(c)) p.fail("unterminated type argument after rows");
    if (c === 0x22 || c === 0x27 || c === 0x60) {
      p.string();
      continue;
    }
    p.pos++;
    if (c === 0x3c) depth++;
    else if (c === 0x3e && --depth === 0) return;
  }
}
