import { type DumpValue, type ValueKind, plainLiteralFits } from "../model/values.ts";
import type { LiteralForm } from "./row-positions.ts";

/**
 * The row types of schema.ts, as data: which literal forms each column type accepts
 * (templates/dump-helpers.ts: `Int = number | bigint | Tag`, `Real = number | Tag`, ...).
 * A module made only of literals is type-checked with these rules instead of the
 * TypeScript compiler, which would take minutes on a million rows; they give the same
 * verdict because a literal's type is its form.
 */

/** The name of a column type in schema.ts. */
export const COLUMN_TYPE: Readonly<Record<ValueKind, string>> = {
  integer: "Int",
  real: "Real",
  text: "Text",
  boolean: "Bool",
  blob: "Blob",
  any: "Any",
};

/** Whether a column type accepts a literal of this form. */
export function acceptsForm(kind: ValueKind, nullable: boolean, form: LiteralForm): boolean {
  if (form === "null") return nullable;
  if (form === "tag") return true;
  return form !== "other" && plainLiteralFits(form, kind);
}

/**
 * Whether a value the reader gave may come from a literal the column type refuses, so
 * that the literal must be looked at. A value of the column's own kind cannot (a plain
 * literal of that kind is accepted, and so is a tag); bytes always come from a tag.
 */
export function mayBeRefused(value: Exclude<DumpValue, null>, kind: ValueKind): boolean {
  const type = typeof value;
  return (type === "number" || type === "bigint" || type === "string" || type === "boolean") && !plainLiteralFits(type, kind);
}

/** The compiler's wording for a refused literal. */
export function refusedMessage(form: LiteralForm, kind: ValueKind, nullable: boolean): string {
  const target = COLUMN_TYPE[kind] + (nullable ? " | null" : "");
  return `Type '${form}' is not assignable to type '${target}'.`;
}
