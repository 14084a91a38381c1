import { encodeValue } from "../encoding/literal-encoder.ts";
import type { TableSchema } from "../model/schema-model.ts";
import type { DumpRow, DumpValue, ValueKind } from "../model/values.ts";
import { dataFileName } from "./file-names.ts";

/**
 * Where a table's rows are split into parts: content-defined boundaries, so that a row
 * inserted or deleted near the start of a table changes its own part and not every part
 * after it (as fixed parts of N rows would: each boundary would shift by one row, two
 * lines in every later file).
 *
 * With N = `--max-row-count`, a row ends its part when
 * - the part holds N rows (no part is ever larger), or
 * - the part holds at least `minRows` = ceil(N / 2) rows and a hash of the row's key
 *   (rowid, else primary key, else the whole row) is 0 modulo `divisor` = round(N / 8) (at least 2).
 * So a part of a split table holds N/2 to N rows, about 5N/8 on average, and fewer than
 * 2 % of parts are cut at N. A table of at most N rows is written as one module whatever
 * its boundaries (the writer joins its parts). The rule reads only the rows, in their
 * order: the same rows give the same parts on every run, whatever `--jobs`.
 *
 * A boundary moves only where the rows change: an insert or delete changes the part it
 * falls in (and, in the rare part cut at N rows, the next one or few); the part numbers
 * after it shift only when the edit adds or removes a boundary itself (about one edit in
 * N/8). Exactly ceil(rows / N) parts cannot be kept with that property: when rows is a
 * multiple of N every part must be full, and one inserted row shifts every boundary.
 */
export class PartBoundaries {
  /** Rows a part must hold before a key hash may end it. */
  readonly minRows: number;
  /** A key hash ends a part when it is 0 modulo this. */
  readonly divisor: number;
  private readonly keyAt: readonly number[];
  private rowsInPart = 0;

  constructor(
    table: TableSchema,
    columns: readonly string[],
    private readonly kinds: readonly ValueKind[],
    readonly maxRows: number,
  ) {
    this.minRows = Math.max(1, Math.ceil(maxRows / 2));
    this.divisor = Math.max(2, Math.round(maxRows / 8));
    this.keyAt = keyPositions(table, columns);
  }

  /** Positions, among the data columns, of the values the key hash reads. */
  get keyColumns(): readonly number[] {
    return this.keyAt;
  }

  /** Count a row into the current part; true when the part ends after it. */
  endsPart(row: DumpRow): boolean {
    return this.endsPartWithHash(this.keyHash(row));
  }

  /** {@link endsPart} for a row whose {@link keyHash} the caller has. */
  endsPartWithHash(keyHash: number): boolean {
    const n = ++this.rowsInPart;
    const ends = n >= this.maxRows || (n >= this.minRows && keyHash % this.divisor === 0);
    if (ends) this.rowsInPart = 0;
    return ends;
  }

  /** Whether the row's key hash lets it end a part (once the part holds `minRows` rows). */
  hashEnds(row: DumpRow): boolean {
    return this.keyHash(row) % this.divisor === 0;
  }

  /** {@link hashEnds} for a row whose {@link keyHash} the caller has. */
  hashEndsWithHash(keyHash: number): boolean {
    return keyHash % this.divisor === 0;
  }

  /**
   * The same rule as {@link endsPart} over `rows` rows read elsewhere (a `--jobs` chunk),
   * given only the indexes (ascending, 0-based) of those whose {@link hashEnds} is true:
   * counts them into the current part, carried over from the rows counted before, and
   * returns the indexes of the rows a part ends after. O(parts + hash indexes), not O(rows).
   */
  endsInChunk(rows: number, hashEnds: ArrayLike<number>): number[] {
    const ends: number[] = [];
    let next = 0; // first row of the chunk not yet counted
    let h = 0; // first entry of hashEnds not yet passed
    for (;;) {
      const open = this.rowsInPart;
      const full = next + (this.maxRows - open) - 1; // the row that makes the part hold maxRows
      const earliest = Math.max(next, next + (this.minRows - open) - 1);
      while (h < hashEnds.length && hashEnds[h]! < earliest) h++;
      const end = h < hashEnds.length ? Math.min(hashEnds[h]!, full) : full;
      if (end >= rows) {
        this.rowsInPart = open + (rows - next);
        return ends;
      }
      ends.push(end);
      this.rowsInPart = 0;
      next = end + 1;
    }
  }

  /** An unsigned 32-bit hash of the row's key as the encoder writes it. */
  keyHash(row: DumpRow): number {
    let h = FNV_OFFSET;
    for (const i of this.keyAt) h = foldText(h, encodeValue((row[i] ?? null) as DumpValue, this.kinds[i]!));
    return mix(h);
  }

  /**
   * {@link keyHash} of a row already encoded as UTF-8 (`EncodedRows`): the literals of its
   * key values are `bytes[spans[at + 2k], spans[at + 2k + 1])`, k over {@link keyColumns}.
   */
  keyHashOfEncoded(bytes: Buffer, spans: ArrayLike<number>, at: number): number {
    let h = FNV_OFFSET;
    for (let k = 0; k < this.keyAt.length; k++) {
      const start = spans[at + 2 * k]!;
      const end = spans[at + 2 * k + 1]!;
      let ascii = true;
      for (let i = start; i < end && ascii; i++) ascii = bytes[i]! < 0x80;
      if (ascii) {
        for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
        h = Math.imul(h ^ 0x1f, FNV_PRIME);
      } else {
        // NOTE: the hash reads UTF-16 code units, as of the encoder's string.
        h = foldText(h, bytes.toString("utf8", start, end));
      }
    }
    return mix(h);
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the text's UTF-16 code units, then a separator no encoded value ends with: ("1", "23") and ("12", "3") hash apart. */
function foldText(h: number, text: string): number {
  for (let c = 0; c < text.length; c++) h = Math.imul(h ^ text.charCodeAt(c), FNV_PRIME);
  return Math.imul(h ^ 0x1f, FNV_PRIME);
}

/**
 * The modules a table's rows would be written to, without writing them (`--simulate`):
 * the same boundaries as `DataModuleWriter`, the same joining of a table of at most N rows.
 */
export class PartPlan {
  private readonly boundaries: PartBoundaries;
  private readonly stem: string;
  private readonly sizes: number[] = [];
  private open = 0;

  constructor(table: TableSchema, columns: readonly string[], kinds: readonly ValueKind[], maxRows: number) {
    this.boundaries = new PartBoundaries(table, columns, kinds, maxRows);
    this.stem = table.key;
  }

  add(rows: readonly DumpRow[]): void {
    for (const row of rows) {
      this.open++;
      if (this.boundaries.endsPart(row)) {
        this.sizes.push(this.open);
        this.open = 0;
      }
    }
  }

  /** Count rows read elsewhere (a `--jobs` chunk), as {@link PartBoundaries.endsInChunk} takes them. */
  addChunk(rows: number, hashEnds: ArrayLike<number>): void {
    let next = 0;
    for (const end of this.boundaries.endsInChunk(rows, hashEnds)) {
      this.sizes.push(this.open + end + 1 - next);
      this.open = 0;
      next = end + 1;
    }
    this.open += rows - next;
  }

  /** File (relative to the dump directory) and row count of each module, in order. */
  modules(): { readonly file: string; readonly rows: number }[] {
    const sizes = this.open > 0 || this.sizes.length === 0 ? [...this.sizes, this.open] : this.sizes;
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total <= this.boundaries.maxRows) return [{ file: dataFileName(this.stem, 1, 1), rows: total }];
    return sizes.map((rows, i) => ({ file: dataFileName(this.stem, i + 1, sizes.length), rows }));
  }
}

/** The rows' positions of the key that identifies a row: rowid, else primary key, else all. */
function keyPositions(table: TableSchema, columns: readonly string[]): number[] {
  const wanted = table.rowidColumn !== null ? [table.rowidColumn] : (table.primaryKey?.columns ?? []);
  const at = wanted.map((c) => columns.indexOf(c));
  return at.length > 0 && at.every((i) => i >= 0) ? at : columns.map((_, i) => i);
}

/** MurmurHash3's finalizer: FNV-1a alone leaves sequential keys' low bits too regular. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
