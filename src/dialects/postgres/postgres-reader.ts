import { isUtf8 } from "node:buffer";
import { GenDumpError, databaseError } from "../../errors.ts";
import { type TableSchema, dataKinds, displayName } from "../../model/schema-model.ts";
import { type DumpRow, type DumpValue, RawText, type ValueKind } from "../../model/values.ts";
import type { PgSession } from "./postgres-connection.ts";
import { parseCopyLine, unescapeBytes } from "./postgres-copy-text.ts";
import type { EncodedRows, ReadRowsOptions } from "../dialect.ts";
import { CopyTranscoder, transcodeCopy } from "./postgres-copy-transcoder.ts";
import { type ReadPlan, selectOf } from "./postgres-read-plan.ts";

/** Rows per yielded batch, unless the caller asks otherwise. */
const DEFAULT_BATCH_ROWS = 1000;
/** A batch is also cut when its text passes this many bytes (wide rows, big bytea). */
const BATCH_BYTES = 8 * 1024 * 1024;

/** Stream a table's rows, parsed into values, from COPY's text format (`copyRuns`). */
export async function* readTableRows(
  session: PgSession,
  table: TableSchema,
  plan: ReadPlan,
  options: ReadRowsOptions = {},
): AsyncGenerator<DumpRow[]> {
  const batchRows = options.batchSize ?? DEFAULT_BATCH_ROWS;
  const rowOf = copyLineReader(table);
  let batch: DumpRow[] = [];
  let bytes = 0;
  for await (const [src, start, end] of copyRuns(session, table, plan, options)) {
    for (let from = start; from < end; ) {
      const nl = src.indexOf(0x0a, from);
      batch.push(rowOf(src, from, nl));
      bytes += nl - from;
      from = nl + 1;
      if (batch.length >= batchRows || bytes >= BATCH_BYTES) {
        yield batch;
        batch = [];
        bytes = 0;
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The rows `readTableRows` yields, as data module row lines: COPY's text transcoded
 * without a JavaScript value per field (`CopyTranscoder`).
 */
export async function* readEncodedTableRows(
  session: PgSession,
  table: TableSchema,
  plan: ReadPlan,
  keyColumns: readonly number[],
  options: ReadRowsOptions = {},
): AsyncGenerator<EncodedRows> {
  // NOTE: the session sets extra_float_digits = 3: from PostgreSQL 12 on, shortest texts.
  const transcoder = new CopyTranscoder(dataKinds(table), keyColumns, copyLineReader(table), session.serverVersionNum >= 120000);
  yield* transcodeCopy(copyRuns(session, table, plan, options), transcoder);
}

/**
 * `COPY (<the plan's select>) TO STDOUT` as runs of whole lines (`PgSession.copyOut`).
 * Why COPY rather than a cursor: one round trip, no per-batch FETCH, no RowDescription or
 * per-value driver parsing; measured about 1.8x the rows/s of batched FETCH from a cursor.
 * Memory stays bounded: the socket is read only as fast as the runs are consumed. A
 * consumer that stops early leaves the rest read and dropped, so the session can go on.
 * @see https://www.postgresql.org/docs/current/sql-copy.html
 */
async function* copyRuns(session: PgSession, table: TableSchema, plan: ReadPlan, options: ReadRowsOptions): AsyncGenerator<[Buffer, number, number]> {
  const sql = `COPY (${selectOf(plan, options.range)}) TO STDOUT`;
  const runs = session.copyOut(sql);
  try {
    for (;;) {
      let next: IteratorResult<[Buffer, number, number]>;
      try {
        next = await runs.next();
      } catch (error) {
        throw readError(table, error, sql);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await runs.return(undefined);
  }
}

type Converter = (text: string) => DumpValue;

/**
 * The value path for one COPY line, `src[start, end)` without its newline: the row
 * `readTableRows` gives. A line that is not valid UTF-8 (a `SQL_ASCII` database holds
 * whatever bytes it was given) is read field by field as bytes: a text field that is not
 * valid UTF-8 becomes `RawText` with exactly its bytes, never replacement characters.
 */
export function copyLineReader(table: TableSchema): (src: Buffer, start: number, end: number) => DumpRow {
  const kinds = dataKinds(table);
  const convert = kinds.map(converterFor);
  const fields: (string | null)[] = [];
  return (src, start, end) => {
    const line = src.subarray(start, end);
    if (!isUtf8(line)) return convertRawRow(line, kinds, convert, table);
    parseCopyLine(line.toString("utf8"), fields);
    return convertRow(fields, convert, table);
  };
}

/** A line holding bytes that are not UTF-8: its text fields as strings where they are UTF-8, else as RawText. */
function convertRawRow(line: Buffer, kinds: readonly ValueKind[], convert: readonly Converter[], table: TableSchema): DumpRow {
  const fields: (Buffer | null)[] = [];
  for (let from = 0; ; ) {
    const tab = line.indexOf(0x09, from);
    const field = line.subarray(from, tab < 0 ? line.length : tab);
    fields.push(field.length === 2 && field[0] === 0x5c && field[1] === 0x4e ? null : unescapeBytes(field));
    if (tab < 0) break;
    from = tab + 1;
  }
  if (fields.length !== convert.length) fieldCountError(table, fields.length, convert.length);
  return fields.map((bytes, i) => {
    if (bytes === null) return null;
    const textual = kinds[i] === "text" || kinds[i] === "any";
    // NOTE: a copy: `line` lies in the reader's buffer, which the next run overwrites.
    if (textual && !isUtf8(bytes)) return new RawText(Uint8Array.from(bytes));
    return convert[i]!(bytes.toString(textual ? "utf8" : "latin1"));
  });
}

function converterFor(kind: ValueKind): Converter {
  switch (kind) {
    case "integer":
      return (text) => BigInt(text);
    case "real":
      // NOTE: Number() reads PostgreSQL's NaN, Infinity, -Infinity and -0 exactly, and
      // float4's shortest form (extra_float_digits = 3) reads back to the same float4.
      return (text) => Number(text);
    case "boolean":
      return (text) => text === "t";
    case "blob":
      return (text) => bytesOfHex(text);
    default:
      return (text) => text;
  }
}

function convertRow(fields: readonly (string | null)[], convert: readonly Converter[], table: TableSchema): DumpRow {
  if (fields.length !== convert.length && !(convert.length === 0 && fields.length === 1 && fields[0] === "")) fieldCountError(table, fields.length, convert.length);
  const row: DumpValue[] = new Array(convert.length);
  for (let i = 0; i < convert.length; i++) {
    const text = fields[i]!;
    row[i] = text === null ? null : convert[i]!(text);
  }
  return row;
}

function fieldCountError(table: TableSchema, fields: number, columns: number): never {
  throw new GenDumpError("READ", `Reading table ${displayName(table)} failed: COPY returned ${fields} fields for ${columns} columns.`, { table: displayName(table) });
}

function readError(table: TableSchema, error: unknown, sql: string): GenDumpError {
  const name = displayName(table);
  const hint = (error as { code?: string }).code === "42501" ? " Grant the dumping role SELECT on it, or leave it out with --exclude-table." : "";
  const wrapped = databaseError("READ", `Reading table ${name} failed`, error, { table: name, sql });
  return new GenDumpError("READ", `${wrapped.message}.${hint}`, wrapped.context, { cause: error });
}

/**
 * bytea's hex output (`\x...`) as bytes. NOTE: a view on the Buffer Node decoded into
 * (small ones share an 8 KB pool) rather than a copy into an ArrayBuffer of its own:
 * hundreds of thousands of tiny ArrayBuffers made the young-generation GC the largest
 * cost of a dump. Readers of a value use its byteOffset/byteLength, never `.buffer` whole.
 */
function bytesOfHex(text: string): Uint8Array {
  const bytes = Buffer.from(text.slice(2), "hex");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
