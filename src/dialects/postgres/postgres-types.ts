import type { NeutralType, NeutralTypeName } from "../../model/schema-model.ts";
import type { ValueKind } from "../../model/values.ts";
import type { TypeInfoRow } from "./postgres-catalog.ts";

/**
 * PostgreSQL types → the neutral model. A column's kind follows its base type (a domain
 * over int4 is an integer column); everything that is not an integer, float, boolean or
 * bytea travels in PostgreSQL's own text form, which is exact for every type under the
 * session settings of `postgres-sql.ts`.
 */

/** Built-in type OIDs the mapping needs (stable across versions: pg_type.dat). */
const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  float4: 700,
  float8: 701,
} as const;

const KIND_BY_OID: ReadonlyMap<number, ValueKind> = new Map<number, ValueKind>([
  [OID.int2, "integer"],
  [OID.int4, "integer"],
  [OID.int8, "integer"],
  [OID.float4, "real"],
  [OID.float8, "real"],
  [OID.bool, "boolean"],
  [OID.bytea, "blob"],
]);

/** Neutral names of built-in types, by `pg_type.typname`. */
const NEUTRAL_BY_NAME: Readonly<Record<string, { readonly name: NeutralTypeName; readonly bytes?: number }>> = {
  int2: { name: "integer", bytes: 2 },
  int4: { name: "integer", bytes: 4 },
  int8: { name: "integer", bytes: 8 },
  float4: { name: "real", bytes: 4 },
  float8: { name: "real", bytes: 8 },
  numeric: { name: "numeric" },
  bool: { name: "boolean" },
  text: { name: "text" },
  varchar: { name: "text" },
  bpchar: { name: "text" },
  bytea: { name: "blob" },
  date: { name: "date" },
  time: { name: "time" },
  timetz: { name: "timetz" },
  timestamp: { name: "timestamp" },
  timestamptz: { name: "timestamptz" },
  interval: { name: "interval" },
  uuid: { name: "uuid" },
  json: { name: "json" },
  jsonb: { name: "jsonb" },
};

/** Type facts looked up by OID (domains resolved through `baseOf`). */
export class TypeCatalog {
  readonly #types: ReadonlyMap<number, TypeInfoRow>;
  constructor(rows: readonly TypeInfoRow[]) {
    this.#types = new Map(rows.map((row) => [row.oid, row]));
  }

  all(): TypeInfoRow[] {
    return [...this.#types.values()];
  }

  get(oid: number): TypeInfoRow {
    const row = this.#types.get(oid);
    if (row === undefined) throw new Error(`type ${oid} was not loaded from pg_type`);
    return row;
  }

  /** The type under any stack of domains. */
  baseOf(oid: number): TypeInfoRow {
    let row = this.get(oid);
    while (row.typtype === "d") row = this.get(row.basetype);
    return row;
  }

  /** What kind of literal a column of this type uses in the data modules. */
  kindOf(oid: number): ValueKind {
    return KIND_BY_OID.get(this.baseOf(oid).oid) ?? "text";
  }

  /** Whether `ORDER BY` works on the type directly (a default btree operator class). */
  sortable(oid: number): boolean {
    const base = this.baseOf(oid);
    if (isArray(base)) return this.sortable(base.elem);
    if (base.typtype === "e" || base.typtype === "r" || base.typtype === "m") return true;
    if (base.typtype === "c") return false;
    return base.btree;
  }

  /** The neutral type of a column; `declared` is format_type's text, `typmod` the column's. */
  neutralOf(oid: number, typmod: number, declared: string, dims: number): NeutralType {
    const base = this.baseOf(oid);
    const array = isArray(base);
    const scalar = array ? this.baseOf(base.elem) : base;
    const known = scalar.schema === "pg_catalog" ? NEUTRAL_BY_NAME[scalar.name] : undefined;
    const params = known === undefined || array || base.oid !== this.get(oid).oid ? undefined : typeParams(scalar.name, typmod, known.bytes);
    return {
      name: known?.name ?? "other",
      ...(params !== undefined && params.length > 0 ? { params } : {}),
      native: declared,
      ...(array ? { arrayDims: Math.max(1, dims) } : {}),
    };
  }
}

/** Whether a type is an array type (not `point`/`name`, which also set typelem). */
export function isArray(row: TypeInfoRow): boolean {
  return row.category === "A" && row.elem !== 0;
}

/** Length, precision/scale or byte width carried by a type modifier. */
function typeParams(name: string, typmod: number, bytes: number | undefined): number[] | undefined {
  if (bytes !== undefined) return [bytes];
  if (typmod < 0) return undefined;
  if (name === "varchar" || name === "bpchar") return [typmod - 4];
  if (name === "numeric") {
    const packed = typmod - 4;
    const scale = ((packed & 0x7ff) ^ 1024) - 1024; // NOTE: scale is signed 11-bit since PostgreSQL 15
    return [(packed >> 16) & 0xffff, scale];
  }
  return undefined;
}
