import { checkNameColumns, unlessDefault } from "./postgres-constraint-names.ts";
import type { ColumnSchema, DatabaseSchema, ForeignKeyAction, SchemaObject, TableSchema } from "../../model/schema-model.ts";
import { tableFileStem } from "../../planner/file-names.ts";
import type { TableSelection } from "../dialect.ts";
import type { ColumnRow, ConstraintRow, RelationRow } from "./postgres-catalog.ts";
import type { SequenceRow, TypeDetailRow } from "./postgres-catalog-objects.ts";
import { type LoadedCatalog, loadCatalog } from "./postgres-catalog-loader.ts";
import type { PgSession } from "./postgres-connection.ts";
import {
  extensionTypes,
  functionComments,
  functionTypes,
  sequenceSchemaOf,
  triggerComments,
  triggerObjects,
  viewComments,
  viewObjects,
} from "./postgres-object-ddl.ts";
import { type ReadPlan, readPlanOf } from "./postgres-read-plan.ts";
import { compareNames, compareText, qualify, quoteIdent, quoteLiteral } from "./postgres-sql.ts";
import {
  type TableFacts,
  afterDataStatements,
  createTableStatements,
  foreignKeyStatements,
  indexAttachStatements,
  tableCommentStatements,
} from "./postgres-table-ddl.ts";
import { domainAfterDataObjects, orderByDependencies, typeCommentSql, typeSchemaOf } from "./postgres-type-ddl.ts";

/** The introspected schema plus, per table key, how the reader selects its rows. */
export interface Introspection {
  readonly schema: DatabaseSchema;
  readonly plans: ReadonlyMap<string, ReadPlan>;
}

/**
 * Introspect the selected schemas and tables of the source, in its snapshot.
 * @see https://www.postgresql.org/docs/current/catalogs.html
 */
export async function introspectPostgres(session: PgSession, selection: TableSelection | undefined, encoding: string): Promise<Introspection> {
  const catalog = await loadCatalog(session, selection);
  const rels = [...catalog.relations.values()].sort(compareNames);
  const tableRels = rels.filter((r) => r.kind === "r" || r.kind === "p");
  const keys = new Map(tableRels.map((r) => [r.oid, tableFileStem(r.schema, r.name)]));
  const owned = new Map<number, SequenceRow[]>();
  for (const s of catalog.sequences) if (s.ownerRel !== null) owned.set(s.ownerRel, [...(owned.get(s.ownerRel) ?? []), s]);
  const facts = tableRels.map((rel) => factsOf(catalog, rel, owned.get(rel.oid) ?? []));
  const tables = facts.map((f) => tableSchemaOf(catalog, f, keys));
  const plans = new Map(tables.map((t, i) => [t.key, readPlanOf(facts[i]!.rel, facts[i]!.columns, t, catalog.typeCatalog)]));
  const typeRows = orderTypes(catalog);
  const types = [
    ...extensionTypes(catalog.extensions),
    ...typeRows.map((t) => typeSchemaOf(t, t.rangeOf === null ? undefined : catalog.types.find((r) => r.oid === t.rangeOf))),
    ...functionTypes(catalog.functions),
  ];
  const sequences = [...catalog.sequences]
    .sort(compareNames)
    .map((s) => sequenceSchemaOf(s, catalog.sequenceStates.get(s.oid), s.ownerRel === null ? null : (keys.get(s.ownerRel) ?? null)));
  const schemaNames = selectedSchemaNames(catalog, rels);
  const schema: DatabaseSchema = {
    engine: "postgres",
    tables,
    objects: objectsOf(catalog, facts, rels, typeRows, schemaNames),
    types,
    sequences,
    schemas: schemaNames.filter((s) => s !== "public"),
    settings: { encoding },
  };
  return { schema, plans };
}

/** User types in dependency order: through arrays and built-in domains to the user types they use. */
function orderTypes(catalog: LoadedCatalog): TypeDetailRow[] {
  const byOid = new Map(catalog.types.map((t) => [t.oid, t]));
  const userTypesIn = (oid: number, seen: Set<number>): TypeDetailRow[] => {
    if (seen.has(oid)) return [];
    seen.add(oid);
    const user = byOid.get(oid);
    if (user !== undefined) return [user];
    return catalog.typeCatalog.get(oid).deps.flatMap((dep) => userTypesIn(dep, seen));
  };
  return orderByDependencies(catalog.types, (t) => catalog.typeCatalog.get(t.oid).deps.flatMap((oid) => userTypesIn(oid, new Set([t.oid]))));
}

function factsOf(catalog: LoadedCatalog, rel: RelationRow, sequences: readonly SequenceRow[]): TableFacts {
  const parents = rel.parents.flatMap((oid) => {
    const parent = catalog.relations.get(oid);
    return parent === undefined ? [] : [{ rel: parent, columns: catalog.columns.get(oid) ?? [] }];
  });
  return {
    rel,
    columns: catalog.columns.get(rel.oid) ?? [],
    constraints: catalog.constraints.get(rel.oid) ?? [],
    indexes: catalog.indexes.get(rel.oid) ?? [],
    parents,
    sequences,
  };
}

function tableSchemaOf(catalog: LoadedCatalog, facts: TableFacts, keys: ReadonlyMap<number, string>): TableSchema {
  const { rel } = facts;
  const columns = facts.columns.map((c) => columnSchemaOf(catalog, c));
  const pk = facts.constraints.find((c) => c.type === "p");
  const parentKeys = facts.parents.map((p) => keys.get(p.rel.oid)!);
  // NOTE: constraints PostgreSQL named by default are unnamed in the model (see postgres-constraint-names.ts).
  const named = { name: rel.name, columns };
  return {
    key: keys.get(rel.oid)!,
    schema: rel.schema,
    name: rel.name,
    columns,
    rowidColumn: null,
    primaryKey: pk === undefined ? null : { name: unlessDefault(pk.name, named, "primary key", pk.columns), columns: pk.columns },
    uniques: facts.constraints.filter((c) => c.type === "u").sort(byName).map((c) => ({ name: unlessDefault(c.name, named, "unique", c.columns), columns: c.columns })),
    foreignKeys: facts.constraints.filter((c) => c.type === "f" && !c.hasParent).sort(byName).map((c) => ({ ...foreignKeyOf(c), name: unlessDefault(c.name, named, "foreign key", c.columns) })),
    checks: facts.constraints
      .filter((c) => c.type === "c")
      .sort(byName)
      .map((c) => ({
        name: unlessDefault(c.name, named, "check", checkNameColumns(named, c.checkExpr ?? "")),
        expression: c.checkExpr ?? "",
        ...(c.validated ? {} : { notValid: true as const }),
      })),
    indexes: facts.indexes
      .filter((i) => !i.isConstraint)
      .sort(byName)
      .map((i) => ({
        name: i.name,
        unique: i.unique,
        parts: i.parts.map((part, n) => ({ ...(i.keys[n] === 0 ? { expression: part } : { column: part }), ...(i.descending[n] ? { desc: true } : {}) })),
        where: i.predicate,
        sql: i.def,
      })),
    orderBy: pk !== undefined ? pk.columns : columns.filter((c) => c.generated === null).map((c) => c.name),
    rowCount: 0,
    dataDumped: rel.kind === "r" && catalog.filter.dataSelected(rel.schema, rel.name),
    comment: rel.comment,
    options: { relkind: rel.kind, ...(parentKeys.length > 0 ? { createAfter: JSON.stringify(parentKeys) } : {}) },
    native: { create: createTableStatements(facts), after: afterDataStatements(facts) },
  };
}

function columnSchemaOf(catalog: LoadedCatalog, c: ColumnRow): ColumnSchema {
  const types = catalog.typeCatalog;
  return {
    name: c.name,
    declaredType: c.type,
    type: types.neutralOf(c.typeOid, c.typmod, c.type, c.dims),
    kind: types.kindOf(c.typeOid),
    nullable: !c.notNull,
    default: c.generated === "" ? c.defaultExpr : null,
    collation: c.collationName === null ? null : qualify(c.collationSchema!, c.collationName),
    generated: c.generated === "" ? null : { expression: c.defaultExpr ?? "", stored: c.generated === "s" },
    identity: c.identity === "a" ? "always" : c.identity === "d" ? "by default" : null,
    comment: c.comment,
  };
}

const ACTIONS: Readonly<Record<string, ForeignKeyAction>> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };

function foreignKeyOf(c: ConstraintRow) {
  return {
    name: c.name,
    columns: c.columns,
    refSchema: c.refSchema,
    refTable: c.refTable ?? "",
    refColumns: c.refColumns,
    onUpdate: ACTIONS[c.onUpdate] ?? "no action",
    onDelete: ACTIONS[c.onDelete] ?? "no action",
    deferrable: !c.deferrable ? "not deferrable" : c.deferred ? "initially deferred" : "initially immediate",
  } as const;
}

/** Everything created after the data, in the order it must run. */
function objectsOf(
  catalog: LoadedCatalog,
  facts: readonly TableFacts[],
  rels: readonly RelationRow[],
  typeRows: LoadedCatalog["types"],
  schemaNames: readonly string[],
): SchemaObject[] {
  const views = viewObjects(rels.filter((r) => r.kind === "v" || r.kind === "m"));
  const matviews = rels.filter((r) => r.kind === "m");
  const attach = facts.flatMap((f) => indexAttachStatements(f).map((a) => object("index", f.rel, a.name, a.sql)));
  const fks = facts.flatMap((f) => foreignKeyStatements(f).map((k) => object("constraint", f.rel, k.name, k.sql)));
  const matviewIndexes = matviews.flatMap((m) =>
    [...(catalog.indexes.get(m.oid) ?? [])].sort(byName).map((i) => object("index", m, i.name, i.def)),
  );
  const comments = [
    ...[...catalog.schemas]
      .sort((a, b) => compareText(a.name, b.name))
      .filter((s) => s.comment !== null && s.name !== "public" && schemaNames.includes(s.name))
      .map((s) => `COMMENT ON SCHEMA ${quoteIdent(s.name)} IS ${quoteLiteral(s.comment!)}`),
    ...typeRows.flatMap((t) => typeCommentSql(t) ?? []),
    ...functionComments(catalog.functions),
    ...catalog.sequences.filter((s) => s.comment !== null).sort(compareNames).map((s) => `COMMENT ON SEQUENCE ${qualify(s.schema, s.name)} IS ${quoteLiteral(s.comment!)}`),
    ...facts.flatMap(tableCommentStatements),
    ...rels.filter((r) => r.kind === "v" || r.kind === "m").flatMap((v) => viewComments(v, catalog.columns.get(v.oid) ?? [])),
    ...matviews.flatMap((m) => [...(catalog.indexes.get(m.oid) ?? [])].sort(byName).filter((i) => i.comment !== null).map((i) => `COMMENT ON INDEX ${qualify(i.schema, i.name)} IS ${quoteLiteral(i.comment!)}`)),
    ...triggerComments(catalog.triggers, catalog.relations),
  ];
  return [
    ...attach,
    ...fks,
    ...typeRows.flatMap(domainAfterDataObjects),
    ...views.create,
    ...matviewIndexes,
    ...triggerObjects(catalog.triggers, catalog.relations),
    ...comments.map((sql): SchemaObject => ({ kind: "comment", schema: null, name: "", table: null, sql })),
    ...views.refresh,
  ];
}

function object(kind: SchemaObject["kind"], rel: RelationRow, name: string, sql: string): SchemaObject {
  return { kind, schema: rel.schema, name, table: rel.name, sql };
}

/** Schemas the dump recreates: all selected ones, or with --table only those holding selected objects. */
function selectedSchemaNames(catalog: LoadedCatalog, rels: readonly RelationRow[]): string[] {
  const names = catalog.filter.hasTablePatterns
    ? [...rels.map((r) => r.schema), ...catalog.sequences.map((s) => s.schema), ...catalog.types.map((t) => t.schema)]
    : catalog.schemas.map((s) => s.name);
  return [...new Set(names)].sort(compareText);
}

function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return compareText(a.name, b.name);
}
