import { GenDumpError } from "../errors.ts";
import { type DumpValue, RawText, type ValueKind, plainLiteralFits } from "../model/values.ts";

/**
 * Turn a value of an imported data module (the slow path, used when a hand edit made a
 * line more than a literal) into the neutral value model, with the same rule the fast
 * reader applies: a plain number in an integer/any column is an INTEGER when integral.
 */
export function normalizeImportedValue(value: unknown, kind: ValueKind, where: () => string): DumpValue {
  const type = typeof value;
  if ((type === "number" || type === "bigint" || type === "string" || type === "boolean") && !plainLiteralFits(type, kind)) {
    throw new GenDumpError("DUMP_TYPE", `${where()}: a ${type} in a column of ${kind} values; wrap it in its tag (int, real, text, bool) to store it there on purpose.`);
  }
  switch (typeof value) {
    case "number":
      return (kind === "integer" || kind === "any") && Number.isInteger(value) ? BigInt(value) : value;
    case "bigint":
    case "string":
    case "boolean":
      return value;
    case "object":
      if (value === null) return null;
      if (value instanceof Uint8Array) return value;
      return fromTag(value as { $tag?: unknown; value?: unknown }, where);
    default:
      throw new GenDumpError("DUMP_TYPE", `${where()}: ${typeof value} is not a value a dump can hold.`);
  }
}

function fromTag(tag: { $tag?: unknown; value?: unknown }, where: () => string): DumpValue {
  const v = tag.value;
  switch (tag.$tag) {
    case "int":
      if (typeof v === "bigint") return v;
      break;
    case "real":
      if (typeof v === "number") return v;
      break;
    case "text":
      if (typeof v === "string") return v;
      break;
    case "bool":
      if (typeof v === "boolean") return v;
      break;
    case "blob":
      if (typeof v === "string") return new Uint8Array(Buffer.from(v, "base64"));
      break;
    case "rawText":
      if (typeof v === "string") return new RawText(new Uint8Array(Buffer.from(v, "base64")));
      break;
  }
  throw new GenDumpError("DUMP_TYPE", `${where()}: an object that is not one of the dump's tags (int, real, text, bool, blob, rawText).`);
}
