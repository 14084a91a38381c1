import type { SchemaObject, TypeSchema } from "../../model/schema-model.ts";
import type { TypeDetailRow } from "./postgres-catalog-objects.ts";
import { compareNames, qualify, quoteIdent, quoteLiteral } from "./postgres-sql.ts";

/**
 * User types (enum, domain, composite, range, multirange) → `TypeSchema`s with the
 * statements that recreate them.
 * @see https://www.postgresql.org/docs/current/sql-createtype.html
 * @see https://www.postgresql.org/docs/current/sql-createdomain.html
 */
export function typeSchemaOf(row: TypeDetailRow, rangeOf: TypeDetailRow | undefined): TypeSchema {
  const name = qualify(row.schema, row.name);
  switch (row.typtype) {
    case "e":
      // NOTE: labels in enumsortorder: recreating them in that order keeps the order of
      // values once added with ALTER TYPE ... ADD VALUE BEFORE/AFTER.
      return make(row, "enum", { labels: row.labels }, [`CREATE TYPE ${name} AS ENUM (${row.labels.map(quoteLiteral).join(", ")})`]);
    case "d":
      return make(row, "domain", { baseType: row.baseType, notNull: row.notNull }, [domainSql(row)]);
    case "c": {
      const attributes = row.attributes.map(([attr, type, collSchema, collName]) =>
        `${quoteIdent(attr!)} ${type}${collName ? ` COLLATE ${qualify(collSchema!, collName)}` : ""}`,
      );
      const detail = { attributes: row.attributes.map(([attr, type]) => ({ name: attr, type })) };
      return make(row, "composite", detail, [`CREATE TYPE ${name} AS (${attributes.join(", ")})`]);
    }
    case "r":
      return make(row, "range", { subtype: row.subtype }, [rangeSql(row)]);
    case "m":
      // Created by its range's CREATE TYPE (MULTIRANGE_TYPE_NAME).
      return make(row, "multirange", { range: rangeOf ? `${rangeOf.schema}.${rangeOf.name}` : null }, []);
  }
}

function make(row: TypeDetailRow, kind: TypeSchema["kind"], detail: Record<string, unknown>, sql: string[]): TypeSchema {
  return { kind, schema: row.schema, name: row.name, detail, sql };
}

function domainSql(row: TypeDetailRow): string {
  let sql = `CREATE DOMAIN ${qualify(row.schema, row.name)} AS ${row.baseType}`;
  if (row.collationName !== null) sql += ` COLLATE ${qualify(row.collationSchema!, row.collationName)}`;
  if (row.defaultExpr !== null) sql += ` DEFAULT ${row.defaultExpr}`;
  if (row.notNull) sql += " NOT NULL";
  for (const [name, def] of row.checks) {
    if (!isNotValid(def!)) sql += ` CONSTRAINT ${quoteIdent(name!)} ${def}`;
  }
  return sql;
}

function rangeSql(row: TypeDetailRow): string {
  const options = [`SUBTYPE = ${row.subtype}`];
  if (row.opclass !== null) options.push(`SUBTYPE_OPCLASS = ${qualify(row.opclass[0]!, row.opclass[1]!)}`);
  if (row.canonical !== null) options.push(`CANONICAL = ${qualify(row.canonical[0]!, row.canonical[1]!)}`);
  if (row.subdiff !== null) options.push(`SUBTYPE_DIFF = ${qualify(row.subdiff[0]!, row.subdiff[1]!)}`);
  if (row.multirange !== null) options.push(`MULTIRANGE_TYPE_NAME = ${qualify(row.multirange[0]!, row.multirange[1]!)}`);
  return `CREATE TYPE ${qualify(row.schema, row.name)} AS RANGE (${options.join(", ")})`;
}

function isNotValid(def: string): boolean {
  return def.endsWith(" NOT VALID");
}

/** NOT VALID domain checks: added after the data, which they must not be checked against. */
export function domainAfterDataObjects(row: TypeDetailRow): SchemaObject[] {
  if (row.typtype !== "d") return [];
  return row.checks
    .filter(([, def]) => isNotValid(def!))
    .map(([name, def]) => ({
      kind: "constraint",
      schema: row.schema,
      name: name!,
      table: null,
      sql: `ALTER DOMAIN ${qualify(row.schema, row.name)} ADD CONSTRAINT ${quoteIdent(name!)} ${def}`,
    }));
}

/** COMMENT ON TYPE / DOMAIN. */
export function typeCommentSql(row: TypeDetailRow): string | null {
  if (row.comment === null) return null;
  return `COMMENT ON ${row.typtype === "d" ? "DOMAIN" : "TYPE"} ${qualify(row.schema, row.name)} IS ${quoteLiteral(row.comment)}`;
}

/**
 * Dependency order: a type comes after the types it is built from; ties (and cycles,
 * which PostgreSQL does not allow) by schema and name in code-point order.
 */
export function orderByDependencies<T extends { readonly schema: string; readonly name: string }>(
  items: readonly T[],
  depsOf: (item: T) => readonly T[],
): T[] {
  const remaining = [...items].sort(compareNames);
  const done = new Set<T>();
  const order: T[] = [];
  while (remaining.length > 0) {
    let index = remaining.findIndex((item) => depsOf(item).every((d) => done.has(d) || !remaining.includes(d)));
    if (index < 0) index = 0;
    const [next] = remaining.splice(index, 1);
    order.push(next!);
    done.add(next!);
  }
  return order;
}
