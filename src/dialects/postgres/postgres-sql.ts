/**
 * SQL text helpers of the PostgreSQL dialect. Every identifier that reaches SQL goes
 * through `quoteIdent` and every string through `quoteLiteral`: there is no other
 * place that builds a quoted name or literal.
 */

/**
 * Quote an identifier: always double-quoted, inner `"` doubled. Always quoting keeps
 * upper case, spaces, dots, unicode and reserved words exact.
 * @see https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quote a string literal. Relies on `standard_conforming_strings = on` (set on every
 * session this dialect opens), so a backslash is an ordinary character.
 */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `"schema"."name"`. */
export function qualify(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A comma-separated list of quoted identifiers. */
export function quoteList(names: readonly string[]): string {
  return names.map(quoteIdent).join(", ");
}

/**
 * Session settings that make every value's text form exact and independent of the
 * server's and the database's configuration; source and target use the same ones.
 * NOTE: lc_monetary = 'C' on both sides transfers money's int64 exactly whatever the
 * database locale (money's text form and scale depend on lc_monetary).
 * NOTE: row_security = off makes a role subject to row-level security fail loudly
 * instead of silently dumping only the rows it may see (as pg_dump does).
 * @see https://www.postgresql.org/docs/current/runtime-config-client.html
 */
export const SESSION_SETTINGS: readonly (readonly [string, string])[] = [
  ["client_encoding", "UTF8"],
  ["TimeZone", "UTC"],
  ["DateStyle", "ISO, YMD"],
  ["IntervalStyle", "postgres"],
  ["extra_float_digits", "3"],
  ["bytea_output", "hex"],
  ["standard_conforming_strings", "on"],
  ["lc_monetary", "C"],
  ["xmloption", "content"],
  ["search_path", "pg_catalog"],
  ["row_security", "off"],
  ["check_function_bodies", "off"],
  ["statement_timeout", "0"],
  ["lock_timeout", "0"],
  ["idle_in_transaction_session_timeout", "0"],
];

/** One `SET` statement per session setting, joined (a simple-protocol multi-statement). */
export function sessionSettingsSql(): string {
  return SESSION_SETTINGS.map(([name, value]) => `SET ${name} = ${quoteLiteral(value)}`).join(";\n");
}

/** A reloptions array (`{fillfactor=70}`) as a `WITH (...)` clause, or "". */
export function withOptions(options: readonly string[] | null): string {
  if (options === null || options.length === 0) return "";
  const parts = options.map((option) => {
    const eq = option.indexOf("=");
    const key = option.slice(0, eq).split(".").map(quoteIdent).join(".");
    return `${key}=${quoteLiteral(option.slice(eq + 1))}`;
  });
  return ` WITH (${parts.join(", ")})`;
}

/** Code-point order, never locale order. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare [schema, name] pairs in code-point order. */
export function compareNames(a: { readonly schema: string; readonly name: string }, b: { readonly schema: string; readonly name: string }): number {
  return compareText(a.schema, b.schema) || compareText(a.name, b.name);
}
