import { GenDumpError } from "../../errors.ts";
import { SelectionFilter } from "../../planner/table-selection.ts";
import type { TableSelection } from "../dialect.ts";
import type { MasterRow } from "./sqlite-catalog.ts";
import { asciiLower } from "./sqlite-sql.ts";

/** The one schema of a SQLite dump: patterns may name it (`main.users`). */
const MAIN = "main";

/**
 * Which objects of `sqlite_master` a dump keeps under -t / -T / --exclude-table-data.
 * Patterns follow pg_dump's syntax, but match names whatever their ASCII letter case,
 * quoted or not, as SQLite does. An index or trigger goes with its table (or view).
 */
export class SqliteSelection {
  readonly #filter: SelectionFilter;
  readonly #patterns: readonly string[];

  constructor(selection: TableSelection = {}) {
    const schemaFlags = [...(selection.schemas ?? []).map(() => "--schema"), ...(selection.excludeSchemas ?? []).map(() => "--exclude-schema")];
    if (schemaFlags.length > 0) {
      throw new GenDumpError(
        "USAGE",
        `${schemaFlags[0]} selects PostgreSQL schemas; a SQLite database has none. Select SQLite tables with -t/--table and -T/--exclude-table.`,
      );
    }
    this.#filter = new SelectionFilter(selection, { foldAsciiCase: true });
    this.#patterns = selection.tables ?? [];
  }

  /** The tables and views to dump (by name), refusing -t patterns that match nothing. */
  selectedRelations(master: readonly MasterRow[]): Set<string> {
    const names = master.filter((m) => (m.type === "table" || m.type === "view") && this.#filter.relationSelected(MAIN, m.name));
    if (this.#patterns.length > 0 && names.length === 0) {
      throw new GenDumpError(
        "USAGE",
        `No table or view matches ${this.#patterns.map((p) => `--table ${JSON.stringify(p)}`).join(", ")}. ` +
          "Patterns use pg_dump's syntax (`*`, `?`, \"quoted\" names) and ignore ASCII letter case in SQLite.",
      );
    }
    return new Set(names.map((m) => asciiLower(m.name)));
  }

  /** Whether an index, trigger or view of `sqlite_master` belongs to the dump. */
  objectSelected(object: MasterRow, relations: ReadonlySet<string>): boolean {
    return relations.has(asciiLower(object.type === "view" ? object.name : object.tableName));
  }

  /** Whether a selected table's rows are dumped (not under --exclude-table-data). */
  dataSelected(table: string): boolean {
    return this.#filter.dataSelected(MAIN, table);
  }
}
