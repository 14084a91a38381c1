import type { TableSelection } from "../dialect.ts";
import {
  COLUMNS_SQL,
  CONSTRAINTS_SQL,
  type ColumnRow,
  type ConstraintRow,
  INDEXES_SQL,
  type IndexRow,
  RELATIONS_SQL,
  type RelationRow,
  SCHEMAS_SQL,
  type SchemaRow,
  type TypeInfoRow,
  typeInfoSql,
} from "./postgres-catalog.ts";
import {
  EXTENSIONS_SQL,
  type ExtensionRow,
  FUNCTIONS_SQL,
  type FunctionRow,
  SEQUENCES_SQL,
  type SequenceRow,
  type SequenceStateRow,
  type TriggerRow,
  type TypeDetailRow,
  triggersSql,
  typeDetailsSql,
} from "./postgres-catalog-objects.ts";
import type { PgSession } from "./postgres-connection.ts";
import { SelectionFilter } from "../../planner/table-selection.ts";
import { qualify } from "./postgres-sql.ts";
import { TypeCatalog, isArray } from "./postgres-types.ts";

/** The catalog rows of everything a dump selects, read in the source's snapshot. */
export interface LoadedCatalog {
  readonly filter: SelectionFilter;
  readonly schemas: readonly SchemaRow[];
  /** Selected tables (r, p), views and materialized views, by OID. */
  readonly relations: ReadonlyMap<number, RelationRow>;
  readonly columns: ReadonlyMap<number, readonly ColumnRow[]>;
  readonly constraints: ReadonlyMap<number, readonly ConstraintRow[]>;
  readonly indexes: ReadonlyMap<number, readonly IndexRow[]>;
  readonly typeCatalog: TypeCatalog;
  /** User types the selected relations use, transitively. */
  readonly types: readonly TypeDetailRow[];
  readonly sequences: readonly SequenceRow[];
  readonly sequenceStates: ReadonlyMap<number, SequenceStateRow>;
  readonly triggers: readonly TriggerRow[];
  readonly functions: readonly FunctionRow[];
  readonly extensions: readonly ExtensionRow[];
}

/** Read every catalog row the introspector needs. */
export async function loadCatalog(session: PgSession, selection: TableSelection | undefined): Promise<LoadedCatalog> {
  const filter = new SelectionFilter(selection);
  const schemas = (await session.query<SchemaRow>(SCHEMAS_SQL)).filter((s) => filter.schemaSelected(s.name));
  const all = await session.query<RelationRow>(RELATIONS_SQL);
  const relations = new Map(
    all.filter((r) => r.kind !== "S" && filter.relationSelected(r.schema, r.name)).map((r) => [r.oid, r]),
  );
  const oids = [...relations.keys()];
  const columns = groupBy(await session.query<ColumnRow>(COLUMNS_SQL, [oids]), (c) => c.rel);
  const constraints = groupBy(await session.query<ConstraintRow>(CONSTRAINTS_SQL, [oids]), (c) => c.rel);
  const indexes = groupBy(await session.query<IndexRow>(INDEXES_SQL, [oids]), (i) => i.rel);
  const typeCatalog = await loadTypeInfo(session, [...columns.values()].flat().map((c) => c.typeOid));
  const types = await loadUserTypes(session, typeCatalog);
  const sequenceOids = all.filter((r) => r.kind === "S").map((r) => r.oid);
  const sequences = (await session.query<SequenceRow>(SEQUENCES_SQL, [sequenceOids]))
    .filter((s) => (s.ownerRel !== null ? relations.has(s.ownerRel) : filter.relationSelected(s.schema, s.name)));
  const sequenceStates = await loadSequenceStates(session, sequences);
  const triggers = await session.query<TriggerRow>(triggersSql(session.serverVersionNum), [oids]);
  const functionSchemas = filter.hasTablePatterns ? [] : schemas.map((s) => s.oid);
  const functions = await session.query<FunctionRow>(FUNCTIONS_SQL, [functionSchemas, triggers.map((t) => t.functionOid)]);
  const extensions = await session.query<ExtensionRow>(EXTENSIONS_SQL);
  return { filter, schemas, relations, columns, constraints, indexes, typeCatalog, types, sequences, sequenceStates, triggers, functions, extensions };
}

/** Load pg_type facts for `start` and every type they are built from. */
async function loadTypeInfo(session: PgSession, start: readonly number[]): Promise<TypeCatalog> {
  const loaded = new Map<number, TypeInfoRow>();
  let wanted = [...new Set(start)];
  const sql = typeInfoSql(session.serverVersionNum);
  while (wanted.length > 0) {
    for (const row of await session.query<TypeInfoRow>(sql, [wanted])) loaded.set(row.oid, row);
    wanted = [...new Set([...loaded.values()].flatMap((t) => t.deps))].filter((oid) => !loaded.has(oid));
  }
  return new TypeCatalog([...loaded.values()]);
}

/** The user-defined enums, domains, composites, ranges and multiranges among the loaded types. */
async function loadUserTypes(session: PgSession, catalog: TypeCatalog): Promise<TypeDetailRow[]> {
  const oids = catalog
    .all()
    .filter((t) => t.user && !isArray(t) && (["e", "d", "r", "m"].includes(t.typtype) || (t.typtype === "c" && t.standaloneComposite)))
    .map((t) => t.oid);
  if (oids.length === 0) return [];
  return session.query<TypeDetailRow>(typeDetailsSql(session.serverVersionNum), [oids]);
}

/** Batches of sequences per state query (one UNION ALL each). */
const SEQUENCE_BATCH = 200;

/**
 * last_value and is_called of each sequence, read from the sequence relation.
 * NOTE: sequences are not transactional: this is their state when read, not at the
 * snapshot (pg_dump has the same limit).
 * @see https://www.postgresql.org/docs/current/sql-createsequence.html
 */
async function loadSequenceStates(session: PgSession, sequences: readonly SequenceRow[]): Promise<Map<number, SequenceStateRow>> {
  const states = new Map<number, SequenceStateRow>();
  // NOTE: a sequence the role may not read keeps no state (setval is then skipped).
  const readable = sequences.filter((s) => s.readable);
  for (let i = 0; i < readable.length; i += SEQUENCE_BATCH) {
    const batch = readable.slice(i, i + SEQUENCE_BATCH);
    const sql = batch
      .map((s) => `SELECT ${s.oid}::oid AS oid, last_value::text AS "lastValue", is_called AS "isCalled" FROM ${qualify(s.schema, s.name)}`)
      .join("\nUNION ALL\n");
    for (const row of await session.query<SequenceStateRow>(sql)) states.set(row.oid, row);
  }
  return states;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list === undefined) map.set(key(row), [row]);
    else list.push(row);
  }
  return map;
}
