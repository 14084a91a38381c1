import type { CheckSchema, ConstraintSchema, ForeignKeySchema } from "../../model/schema-model.ts";
import { type Token, closingParen, isWord, nameList, nameOf, parenthesized, splitTopLevel, textOf, tokenize } from "./sqlite-sql.ts";

/**
 * What the pragmas do not say about a table, read from its CREATE TABLE text: column
 * collations, generated expressions, CHECK clauses, constraint names, DEFERRABLE and
 * AUTOINCREMENT. Best effort on SQL SQLite already accepted; whatever it cannot find
 * stays null, and the exact CREATE text is what a SQLite restore runs anyway.
 * @see https://www.sqlite.org/lang_createtable.html
 */
export interface ParsedTable {
  readonly columns: readonly ParsedColumn[];
  readonly primaryKeyName: string | null;
  readonly uniques: readonly ConstraintSchema[];
  readonly checks: readonly CheckSchema[];
  readonly foreignKeys: readonly ParsedForeignKey[];
  readonly autoincrement: boolean;
}

export interface ParsedColumn {
  readonly name: string;
  /** The whole column definition as written. */
  readonly definition: string;
  readonly collation: string | null;
  /** The expression of `[GENERATED ALWAYS] AS (expr)`. */
  readonly generated: string | null;
}

export interface ParsedForeignKey {
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly table: string;
  readonly deferrable: ForeignKeySchema["deferrable"];
}

const TABLE_CONSTRAINTS = new Set(["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]);
/** Words that start a column constraint: they end a REFERENCES clause. */
const CONSTRAINT_START = new Set(["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS", "NULL"]);

/** Other constraint keywords: a `CONSTRAINT name` before them does not name a later clause. */
const ENDS_NAME = new Set(["NOT", "NULL", "DEFAULT", "GENERATED"]);

interface Collected {
  primaryKeyName: string | null;
  readonly uniques: ConstraintSchema[];
  readonly checks: CheckSchema[];
  readonly foreignKeys: ParsedForeignKey[];
  autoincrement: boolean;
}

interface ColumnFacts {
  readonly name: string;
  collation: string | null;
  generated: string | null;
}

export function parseCreateTable(sql: string): ParsedTable {
  const tokens = tokenize(sql);
  const out: Collected = { primaryKeyName: null, uniques: [], checks: [], foreignKeys: [], autoincrement: false };
  const columns: ParsedColumn[] = [];
  const open = tokens.findIndex((t) => t.kind === "punct" && t.value === "(");
  if (open < 0) return { ...out, columns };
  for (const def of splitTopLevel(tokens, open + 1, closingParen(tokens, open))) {
    if (def.length === 0) continue;
    if (def[0]!.kind === "word" && TABLE_CONSTRAINTS.has(def[0]!.value.toUpperCase())) {
      readConstraints(sql, def, 0, null, out);
      continue;
    }
    const name = nameOf(def[0]);
    if (name === null) continue;
    const facts: ColumnFacts = { name, collation: null, generated: null };
    readConstraints(sql, def, 1, facts, out);
    columns.push({ ...facts, definition: textOf(sql, def[0]!, def[def.length - 1]!) });
  }
  return { ...out, columns };
}

/** Walk one column definition's constraints (column set) or one table constraint. */
function readConstraints(sql: string, def: readonly Token[], start: number, column: ColumnFacts | null, out: Collected): void {
  let pendingName: string | null = null;
  let fkColumns: string[] = [];
  for (let i = start; i < def.length; i++) {
    const t = def[i]!;
    if (t.kind === "punct" && t.value === "(") {
      i = closingParen(def, i);
      continue;
    }
    if (t.kind !== "word") continue;
    const word = t.value.toUpperCase();
    const next = def[i + 1];
    const opensList = next?.kind === "punct" && next.value === "(";
    if (word === "CONSTRAINT") {
      pendingName = nameOf(next);
      i++;
      continue;
    }
    if (word === "CHECK" && opensList) {
      const { text, close } = parenthesized(sql, def, i + 1);
      out.checks.push({ name: pendingName, expression: text });
      i = close;
    } else if (word === "COLLATE" && column !== null) {
      column.collation = nameOf(next);
      i++;
    } else if (word === "AS" && opensList && column !== null) {
      const { text, close } = parenthesized(sql, def, i + 1);
      column.generated = text;
      i = close;
    } else if (word === "PRIMARY") {
      out.primaryKeyName = pendingName;
    } else if (word === "UNIQUE") {
      const list = column === null && opensList ? nameList(def, i + 1) : null;
      out.uniques.push({ name: pendingName, columns: list?.names ?? (column ? [column.name] : []) });
      if (list) i = list.close;
    } else if (word === "FOREIGN") {
      const open = def.findIndex((tok, n) => n > i && tok.kind === "punct" && tok.value === "(");
      if (open < 0) continue;
      const list = nameList(def, open);
      fkColumns = list.names;
      i = list.close;
      continue; // REFERENCES follows and uses the pending name
    } else if (word === "REFERENCES") {
      const { fk, end } = readReferences(def, i, pendingName, column ? [column.name] : fkColumns);
      if (fk) out.foreignKeys.push(fk);
      i = end;
    } else if (word === "AUTOINCREMENT") {
      out.autoincrement = true;
      continue;
    } else if (!ENDS_NAME.has(word)) continue;
    pendingName = null;
  }
}

/** `REFERENCES table [(cols)] [ON ... | MATCH x]* [[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]]`. */
function readReferences(def: readonly Token[], at: number, name: string | null, columns: readonly string[]): { fk: ParsedForeignKey | null; end: number } {
  const table = nameOf(def[at + 1]);
  if (table === null) return { fk: null, end: at };
  let deferrable: ForeignKeySchema["deferrable"] = "not deferrable";
  let i = at + 2;
  for (; i < def.length; i++) {
    const t = def[i]!;
    if (t.kind === "punct" && t.value === "(") {
      i = closingParen(def, i);
      continue;
    }
    if (t.kind !== "word") continue;
    const word = t.value.toUpperCase();
    if (CONSTRAINT_START.has(word) || (word === "NOT" && isWord(def[i + 1], "NULL"))) break;
    if (word === "DEFERRABLE" && !isWord(def[i - 1], "NOT")) {
      deferrable = isWord(def[i + 1], "INITIALLY") && isWord(def[i + 2], "DEFERRED") ? "initially deferred" : "initially immediate";
    }
  }
  return { fk: { name, columns, table, deferrable }, end: i - 1 };
}

/** The parts of a CREATE INDEX: each key as written (without ASC/DESC), and the WHERE clause. */
export interface ParsedIndex {
  readonly parts: readonly string[];
  readonly where: string | null;
}

/** @see https://www.sqlite.org/lang_createindex.html */
export function parseCreateIndex(sql: string): ParsedIndex {
  const tokens = tokenize(sql);
  const on = tokens.findIndex((t) => isWord(t, "ON"));
  const open = tokens.findIndex((t, n) => n > on && t.kind === "punct" && t.value === "(");
  if (on < 0 || open < 0) return { parts: [], where: null };
  const close = closingParen(tokens, open);
  const parts = splitTopLevel(tokens, open + 1, close).map((part) => {
    const last = part.length > 1 && (isWord(part[part.length - 1], "ASC") || isWord(part[part.length - 1], "DESC")) ? part.length - 2 : part.length - 1;
    return textOf(sql, part[0]!, part[last]!);
  });
  const where = isWord(tokens[close + 1], "WHERE") ? sql.slice(tokens[close + 1]!.end).trim() : null;
  return { parts, where };
}
