import { GenDumpError } from "../errors.ts";
import type { TableSelection } from "../dialects/dialect.ts";

/**
 * Table selection shared by every dialect (-t, -T, --exclude-table-data, --schema,
 * --exclude-schema). pg_dump-style name patterns: `*` any run of characters, `?` one character, `"..."`
 * exact (case kept, `""` is a quote), unquoted letters folded to lower case, and an
 * unquoted `.` separating schema from table.
 * NOTE: pg_dump also passes other regular-expression characters through; here every
 * other character matches itself, which is what names with `$`, `+` or `[` need.
 * @see https://www.postgresql.org/docs/current/app-psql.html#APP-PSQL-PATTERNS
 */
export interface NamePattern {
  /** null: any schema. */
  readonly schema: RegExp | null;
  readonly name: RegExp;
}

/** Parse a pattern with at most one unquoted dot (`schema.table` or `table`). */
export function parsePattern(pattern: string, flag: string, foldQuoted = false): NamePattern {
  const parts = splitPattern(pattern, foldQuoted);
  if (parts.length > 2) {
    throw new GenDumpError("USAGE", `The pattern ${JSON.stringify(pattern)} given with ${flag} has more than one dot outside quotes; use "schema.table" and quote names that contain dots.`);
  }
  const [first, second] = parts;
  return second === undefined ? { schema: null, name: first! } : { schema: first!, name: second };
}

/** Parse a schema pattern (no dots outside quotes). */
export function parseSchemaPattern(pattern: string, flag: string): RegExp {
  const parts = splitPattern(pattern);
  if (parts.length !== 1) {
    throw new GenDumpError("USAGE", `The schema pattern ${JSON.stringify(pattern)} given with ${flag} has a dot outside quotes; quote a schema name that contains a dot.`);
  }
  return parts[0]!;
}

/** `foldQuoted`: fold ASCII letters inside quotes too (SQLite, whose names ignore ASCII case). */
function splitPattern(pattern: string, foldQuoted = false): RegExp[] {
  const parts: RegExp[] = [];
  let source = "";
  let quoted = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '"') {
      if (quoted && pattern[i + 1] === '"') {
        source += '"';
        i++;
      } else quoted = !quoted;
    } else if (quoted) source += escapeRegExp(foldQuoted ? foldAscii(ch) : ch);
    else if (ch === ".") {
      parts.push(anchored(source));
      source = "";
    } else if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    // NOTE: PostgreSQL folds only ASCII letters of unquoted names.
    else source += escapeRegExp(foldAscii(ch));
  }
  parts.push(anchored(source));
  return parts;
}

function foldAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function anchored(source: string): RegExp {
  return new RegExp(`^(?:${source})$`, "u");
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

export interface SelectionFilterOptions {
  /**
   * Compare names whatever their ASCII letter case, quoted or not: SQLite's rule.
   * NOTE: SQLite folds only ASCII letters in identifiers. https://www.sqlite.org/lang_keywords.html
   */
  readonly foldAsciiCase?: boolean;
}

/** A compiled TableSelection. */
export class SelectionFilter {
  readonly #fold: boolean;
  readonly #schemas: RegExp[];
  readonly #excludeSchemas: RegExp[];
  readonly #tables: NamePattern[];
  readonly #excludeTables: NamePattern[];
  readonly #excludeData: NamePattern[];

  constructor(selection: TableSelection = {}, options: SelectionFilterOptions = {}) {
    const fold = (this.#fold = options.foldAsciiCase ?? false);
    this.#schemas = (selection.schemas ?? []).map((p) => parseSchemaPattern(p, "--schema"));
    this.#excludeSchemas = (selection.excludeSchemas ?? []).map((p) => parseSchemaPattern(p, "--exclude-schema"));
    this.#tables = (selection.tables ?? []).map((p) => parsePattern(p, "--table", fold));
    this.#excludeTables = (selection.excludeTables ?? []).map((p) => parsePattern(p, "--exclude-table", fold));
    this.#excludeData = (selection.excludeTableData ?? []).map((p) => parsePattern(p, "--exclude-table-data", fold));
  }

  /** Whether table patterns narrow the dump to some relations (then only those, and what they use). */
  get hasTablePatterns(): boolean {
    return this.#tables.length > 0;
  }

  schemaSelected(schema: string): boolean {
    const folded = this.#name(schema);
    if (this.#excludeSchemas.some((re) => re.test(folded))) return false;
    return this.#schemas.length === 0 || this.#schemas.some((re) => re.test(folded));
  }

  /** Whether a table, view or sequence is dumped. */
  relationSelected(schema: string, name: string): boolean {
    if (!this.schemaSelected(schema)) return false;
    const [s, n] = [this.#name(schema), this.#name(name)];
    if (this.#excludeTables.some((p) => matches(p, s, n))) return false;
    return this.#tables.length === 0 || this.#tables.some((p) => matches(p, s, n));
  }

  /** Whether a selected table's rows are dumped. */
  dataSelected(schema: string, name: string): boolean {
    return !this.#excludeData.some((p) => matches(p, this.#name(schema), this.#name(name)));
  }

  #name(name: string): string {
    return this.#fold ? foldAscii(name) : name;
  }
}

function matches(pattern: NamePattern, schema: string, name: string): boolean {
  return (pattern.schema === null || pattern.schema.test(schema)) && pattern.name.test(name);
}
