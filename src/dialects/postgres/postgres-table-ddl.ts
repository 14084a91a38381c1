import type { ColumnRow, ConstraintRow, IndexRow, RelationRow } from "./postgres-catalog.ts";
import type { SequenceRow } from "./postgres-catalog-objects.ts";
import { compareText, qualify, quoteIdent, quoteLiteral, withOptions } from "./postgres-sql.ts";

/** Everything the DDL of one table is built from. */
export interface TableFacts {
  readonly rel: RelationRow;
  readonly columns: readonly ColumnRow[];
  readonly constraints: readonly ConstraintRow[];
  readonly indexes: readonly IndexRow[];
  /** Parents (inheritance or partitioned table) that are dumped too, in inhseqno order. */
  readonly parents: readonly TableParent[];
  /** Sequences owned by this table's columns (serial OWNED BY, identity). */
  readonly sequences: readonly SequenceRow[];
}

export interface TableParent {
  readonly rel: RelationRow;
  readonly columns: readonly ColumnRow[];
}

/**
 * The statements that recreate a table before its data: CREATE TABLE with columns,
 * defaults, identity, generated expressions, NOT NULL and validated CHECK constraints;
 * then what ties it to its parents and sequences. Follows pg_dump's shape: a partition is
 * a plain table plus `ATTACH PARTITION` (so its column order survives), an inheritance
 * child lists only its local columns plus `INHERITS`.
 * @see https://www.postgresql.org/docs/current/sql-createtable.html
 */
export function createTableStatements(facts: TableFacts): string[] {
  const { rel } = facts;
  const name = qualify(rel.schema, rel.name);
  const partitionParent = rel.isPartition ? facts.parents[0] : undefined;
  const inheritsFrom = rel.isPartition ? [] : facts.parents;
  // A column inherited from a parent that is not dumped must be spelled out.
  const inherited = new Set(inheritsFrom.flatMap((p) => p.columns.map((c) => c.name)));
  const printed = facts.columns.filter((c) => c.isLocal || !inherited.has(c.name));
  const checks = facts.constraints
    .filter((c) => c.type === "c" && c.validated && (c.isLocal || rel.isPartition || inheritsFrom.length === 0))
    .sort(byName);
  const lines = [
    ...printed.map((c) => `    ${columnDefinition(c, facts.sequences)}`),
    ...checks.map((c) => `    CONSTRAINT ${quoteIdent(c.name)} ${c.def}`),
  ];
  let sql = `CREATE ${rel.persistence === "u" ? "UNLOGGED " : ""}TABLE ${name} (${lines.length > 0 ? `\n${lines.join(",\n")}\n` : ""})`;
  if (inheritsFrom.length > 0) sql += `\nINHERITS (${inheritsFrom.map((p) => qualify(p.rel.schema, p.rel.name)).join(", ")})`;
  if (rel.kind === "p") sql += `\nPARTITION BY ${rel.partitionKey}`;
  sql += withOptions(rel.options);
  const statements = [sql, ...inheritedColumnFixes(facts, inheritsFrom)];
  if (partitionParent !== undefined) {
    statements.push(`ALTER TABLE ONLY ${qualify(partitionParent.rel.schema, partitionParent.rel.name)} ATTACH PARTITION ${name} ${rel.partitionBound}`);
  }
  for (const seq of facts.sequences.filter((s) => s.ownerKind === "a")) {
    statements.push(`ALTER SEQUENCE ${qualify(seq.schema, seq.name)} OWNED BY ${name}.${quoteIdent(seq.ownerColumn!)}`);
  }
  return statements;
}

function columnDefinition(column: ColumnRow, sequences: readonly SequenceRow[]): string {
  // NOTE: format_type prints every array as one-dimensional; the declared number of
  // dimensions (attndims, not enforced) comes back only if the type spells it out.
  const dims = column.type.endsWith("[]") && column.dims > 1 ? "[]".repeat(column.dims - 1) : "";
  let sql = `${quoteIdent(column.name)} ${column.type}${dims}`;
  if (column.collationName !== null) sql += ` COLLATE ${qualify(column.collationSchema!, column.collationName)}`;
  if (column.generated !== "") {
    sql += ` GENERATED ALWAYS AS (${column.defaultExpr})${column.generated === "s" ? " STORED" : ""}`;
  } else if (column.identity !== "") {
    const seq = sequences.find((s) => s.ownerKind === "i" && s.ownerColumn === column.name);
    sql += ` GENERATED ${column.identity === "a" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`;
    if (seq !== undefined) sql += ` (${identityOptions(seq)})`;
  } else if (column.defaultExpr !== null) {
    sql += ` DEFAULT ${column.defaultExpr}`;
  }
  if (column.notNull) sql += " NOT NULL";
  return sql;
}

function identityOptions(seq: SequenceRow): string {
  return `SEQUENCE NAME ${qualify(seq.schema, seq.name)} ${sequenceOptions(seq, false)}`;
}

/** START/INCREMENT/MIN/MAX/CACHE/CYCLE of a sequence, as CREATE SEQUENCE takes them. */
export function sequenceOptions(seq: SequenceRow, withType: boolean): string {
  const type = withType ? `AS ${seq.type} ` : "";
  return `${type}START WITH ${seq.start} INCREMENT BY ${seq.increment} MINVALUE ${seq.min} MAXVALUE ${seq.max} CACHE ${seq.cache}${seq.cycle ? " CYCLE" : " NO CYCLE"}`;
}

/**
 * An inheritance child does not list inherited columns, so a NOT NULL or default it set
 * on one of them is replayed with ALTER TABLE.
 */
function inheritedColumnFixes(facts: TableFacts, parents: readonly TableParent[]): string[] {
  if (parents.length === 0) return [];
  const name = qualify(facts.rel.schema, facts.rel.name);
  const out: string[] = [];
  for (const column of facts.columns.filter((c) => !c.isLocal)) {
    const inherited = parents.flatMap((p) => p.columns).find((c) => c.name === column.name);
    const alter = `ALTER TABLE ONLY ${name} ALTER COLUMN ${quoteIdent(column.name)}`;
    if (inherited !== undefined && column.defaultExpr !== inherited.defaultExpr && column.generated === "") {
      out.push(column.defaultExpr === null ? `${alter} DROP DEFAULT` : `${alter} SET DEFAULT ${column.defaultExpr}`);
    }
    if (column.notNull && inherited !== undefined && !inherited.notNull) out.push(`${alter} SET NOT NULL`);
  }
  return out;
}

const CONSTRAINT_ORDER: Readonly<Record<string, number>> = { p: 0, u: 1, x: 2, c: 3 };

/**
 * Statements run after the table's data: primary key, unique and exclusion constraints,
 * indexes that back no constraint, and NOT VALID checks (kept not valid). Foreign keys
 * and partition index attachments wait for every table (see the object builder).
 * @see https://www.postgresql.org/docs/current/sql-altertable.html
 */
export function afterDataStatements(facts: TableFacts): string[] {
  const name = qualify(facts.rel.schema, facts.rel.name);
  const constraints = facts.constraints
    .filter((c) => (c.type === "p" || c.type === "u" || c.type === "x") || (c.type === "c" && !c.validated && c.isLocal))
    .sort((a, b) => CONSTRAINT_ORDER[a.type]! - CONSTRAINT_ORDER[b.type]! || byName(a, b));
  const out = constraints.map((c) =>
    // NOTE: ONLY for keys (a partition gets its own, attached later, as pg_dump does); a
    // NOT VALID check must also reach inheritance children, so no ONLY there.
    c.type === "c" ? `ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}` : `ALTER TABLE ONLY ${name} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}`,
  );
  const indexes = facts.indexes.filter((i) => !i.isConstraint).sort(byName);
  out.push(...indexes.map((i) => i.def));
  return out;
}

/** Foreign keys of a table (the ones cloned onto partitions come back with their parent's). */
export function foreignKeyStatements(facts: TableFacts): { readonly name: string; readonly sql: string }[] {
  const name = qualify(facts.rel.schema, facts.rel.name);
  // NOTE: a foreign key on a partitioned table cannot be added with ONLY.
  const only = facts.rel.kind === "p" ? "" : "ONLY ";
  return facts.constraints
    .filter((c) => c.type === "f" && !c.hasParent)
    .sort(byName)
    .map((c) => ({ name: c.name, sql: `ALTER TABLE ${only}${name} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}` }));
}

/** `ALTER INDEX parent ATTACH PARTITION child` for indexes attached to a partitioned index. */
export function indexAttachStatements(facts: TableFacts): { readonly name: string; readonly sql: string }[] {
  return facts.indexes
    .filter((i) => i.parentName !== null)
    .sort(byName)
    .map((i) => ({ name: i.name, sql: `ALTER INDEX ${qualify(i.parentSchema!, i.parentName!)} ATTACH PARTITION ${qualify(i.schema, i.name)}` }));
}

/** Comments on the table, its columns, constraints and indexes. */
export function tableCommentStatements(facts: TableFacts): string[] {
  const name = qualify(facts.rel.schema, facts.rel.name);
  const out: string[] = [];
  if (facts.rel.comment !== null) out.push(`COMMENT ON TABLE ${name} IS ${quoteLiteral(facts.rel.comment)}`);
  for (const c of facts.columns) {
    if (c.comment !== null) out.push(`COMMENT ON COLUMN ${name}.${quoteIdent(c.name)} IS ${quoteLiteral(c.comment)}`);
  }
  for (const c of [...facts.constraints].sort(byName)) {
    if (c.comment !== null && !(c.type === "f" && c.hasParent)) {
      out.push(`COMMENT ON CONSTRAINT ${quoteIdent(c.name)} ON ${name} IS ${quoteLiteral(c.comment)}`);
    }
  }
  for (const i of [...facts.indexes].sort(byName)) {
    if (i.comment !== null && !i.isConstraint) out.push(`COMMENT ON INDEX ${qualify(i.schema, i.name)} IS ${quoteLiteral(i.comment)}`);
  }
  return out;
}

function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return compareText(a.name, b.name);
}
