import type { CanonicalRow } from "../../encoding/canonical-row.ts";
import type { ColumnSchema, TableSchema } from "../../model/schema-model.ts";
import type { DumpRow, ValueKind } from "../../model/values.ts";
import type { RowTranscoder, TranscodedRows } from "../dialect.ts";
import type { PgSession } from "./postgres-connection.ts";
import { CopyBytes } from "./postgres-copy-bytes.ts";
import { type FieldEncoder, type RejectedField, encodeCopyLine, fieldEncoder, rejectedRowError } from "./postgres-copy-encoder.ts";
import { copyIn } from "./postgres-copy-in.ts";

/** Column kinds whose canonical literals the transcoder writes (an `any` column's are left to the parser). */
export const TRANSCODED_KINDS: ReadonlySet<ValueKind> = new Set(["integer", "real", "boolean", "text", "blob"]);

/** Whether a column is float8 (not a domain over it, whose width is not known): its input reads a decimal as `Number` does. */
function isFloat8(column: ColumnSchema | undefined): boolean {
  return column !== undefined && column.type.name === "real" && column.type.params?.[0] === 8 && column.type.arrayDims === undefined;
}

/** A batch of COPY text lines, with the first value the encoder refused (reported when it is inserted). */
class CopyBatch implements TranscodedRows {
  readonly bytes: number;
  constructor(
    readonly rows: number,
    readonly text: readonly Buffer[],
    readonly rejected: { readonly row: number; readonly field: RejectedField } | null,
  ) {
    this.bytes = text.reduce((n, b) => n + b.length, 0);
  }
}

/**
 * The rows of one data module as COPY text, from its lines: a canonical line straight to
 * bytes (postgres-copy-bytes.ts), any other row through the writer's own field encoders.
 * Inserting gives what `insertRows` gives for the same rows: the same COPY text (but for
 * the spelling of decimals into float8 columns, which read back to the same doubles), and
 * the same errors, a refused value included (it is kept until then, so that it is reported
 * where `insertRows` reports it: before the COPY of its batch, after the one before).
 */
export class PostgresRowTranscoder implements RowTranscoder {
  readonly #out: CopyBytes;
  readonly #encoders: readonly FieldEncoder[];
  readonly #keep: readonly number[];
  #rows = 0;
  #rejected: CopyBatch["rejected"] = null;

  constructor(
    private readonly session: PgSession,
    private readonly table: TableSchema,
    private readonly columns: readonly string[],
    /** The kind each column is encoded as: the kind its literals were read as. */
    kinds: readonly ValueKind[],
    /** The target takes text that is not UTF-8 (a SQL_ASCII database; see `fieldEncoder`). */
    rawText = false,
  ) {
    this.#encoders = kinds.map((kind) => fieldEncoder(kind, rawText));
    this.#keep = columns.map((_, i) => i);
    this.#out = new CopyBytes(columns.map((name) => isFloat8(table.columns.find((c) => c.name === name))));
  }

  addLine(row: CanonicalRow): boolean {
    if (!this.#out.appendRow(row)) return false;
    this.#rows++;
    return true;
  }

  addRow(row: DumpRow): void {
    const line = encodeCopyLine(row, this.#keep, this.#encoders);
    if (typeof line === "string") this.#out.appendText(`${line}\n`);
    else this.#rejected ??= { row: this.#rows, field: line };
    this.#rows++;
  }

  take(): TranscodedRows {
    const batch = new CopyBatch(this.#rows, this.#out.take(), this.#rejected);
    this.#rows = 0;
    this.#rejected = null;
    return batch;
  }

  async insert(batches: readonly TranscodedRows[]): Promise<void> {
    let rows = 0;
    for (const batch of batches as readonly CopyBatch[]) {
      if (batch.rejected !== null) {
        const { row, field } = batch.rejected;
        throw rejectedRowError(this.table, this.columns[field.column]!, rows + row, field.rejection);
      }
      rows += batch.rows;
    }
    if (rows === 0) return;
    await copyIn(this.session, this.table, this.columns, (batches as readonly CopyBatch[]).flatMap((b) => b.text));
  }
}
