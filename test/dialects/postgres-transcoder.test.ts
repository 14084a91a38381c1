import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PostgresRowTranscoder } from "../../src/dialects/postgres/postgres-transcoder.ts";
import { PostgresTarget } from "../../src/dialects/postgres/postgres-writer.ts";
import { dump } from "../../src/dump/dump.ts";
import { encodeRow, encodeString, encodeValue } from "../../src/encoding/literal-encoder.ts";
import { parseRowLine } from "../../src/encoding/literal-reader.ts";
import { GenDumpError } from "../../src/errors.ts";
import type { DumpValue, ValueKind } from "../../src/model/values.ts";
import { readDumpDirectory, restoreDirectory } from "../../src/restore/dump-directory.ts";
import { tempDir } from "../support/cli.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-db.ts";
import { withClient } from "./postgres-compare.ts";

/**
 * A PostgreSQL restore through the transcoder (canonical row lines straight to COPY
 * text) with hand-edited lines mixed in: the data is the source's, the edited lines take
 * the value path, and every error is the one the value path alone gives, naming file:line.
 * (Only the row's index within its insert differs when the server refuses it: the
 * transcoder's inserts hold more rows.)
 */

const SOURCE_SQL = String.raw`
CREATE TABLE public.items (
  id bigint PRIMARY KEY, qty integer CONSTRAINT qty_nonneg CHECK (qty >= 0), price numeric(10, 2), weight double precision,
  ok boolean, at timestamptz, note text, doc jsonb, data bytea, pad text);
INSERT INTO public.items
SELECT i, i % 50, i * 1.25, i / 7.0, i % 3 = 0, timestamptz '2020-01-01 00:00:00+00' + i * interval '1 minute',
  CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN E'tab\there\nnew "q" \\ back \\N ü ☃ 😀' ELSE 'note ' || i END,
  CASE WHEN i % 4 = 0 THEN jsonb_build_object('i', i, 's', E'a"b\\c') END,
  CASE WHEN i % 6 = 0 THEN NULL ELSE decode(md5(i::text), 'hex') END,
  repeat(md5(i::text), 30)
FROM generate_series(1, 5000) AS i;
INSERT INTO public.items VALUES
  (9007199254740993, NULL, NULL, 'NaN', NULL, NULL, E'\u2028 \u2029 \ufeff', '"\\u00e9"', '', NULL),
  (9007199254740994, 0, -1.5, '-0', true, 'infinity', '', '[]', '\x00ff', ''),
  (9007199254740995, 1, 0, 'Infinity', false, '-infinity', '\N', 'null', NULL, NULL),
  (9007199254740996, 2, 0.01, '5e-324', true, '1999-12-31 23:59:59.999999+00', E'\\\\ \t \r', '{}', '\x5c4e', NULL);
`;

/** The module's line `lineNo` (1-based) as values, with the module's column kinds. */
interface ModuleLine {
  readonly file: string;
  readonly lineNo: number;
  readonly values: DumpValue[];
}

describe("PostgreSQL restore through the transcoder", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let dumpDir: string;
  let kinds: ValueKind[];
  let expected: string[];

  beforeAll(async () => {
    source = await createTestDatabase("pg_transcode_src");
    target = await createTestDatabase("pg_transcode_dst");
    await withClient(source.url, (c) => c.query(SOURCE_SQL));
    dumpDir = join(tempDir("gen-dump-transcode-"), "dump");
    await dump({ db: source.url, outputDir: dumpDir, maxRowCount: 1500 });
    const { schema } = await readDumpDirectory(dumpDir);
    const table = schema.tables.find((t) => t.key === "public.items")!;
    kinds = table.columns.map((c) => c.kind);
    expect(kinds).toEqual(["integer", "integer", "text", "real", "boolean", "text", "text", "text", "blob", "text"]);
    expected = await items(source.url);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function items(url: string): Promise<string[]> {
    return withClient(url, async (c) => (await c.query<{ t: string }>("SELECT t::text AS t FROM public.items t ORDER BY id")).rows.map((r) => r.t));
  }

  /** A copy of the dump with `edit` applied to the lines of the modules. */
  function editedDump(edit: (line: ModuleLine) => string | null): string {
    const dir = join(tempDir("gen-dump-transcode-edit-"), "dump");
    cpSync(dumpDir, dir, { recursive: true });
    for (const name of readdirSync(join(dir, "data"))) {
      const path = join(dir, "data", name);
      const lines = readFileSync(path, "utf8").split("\n");
      const out = lines.map((text, i) => {
        if (!text.startsWith("[")) return text;
        const file = `data/${name}`;
        return edit({ file, lineNo: i + 1, values: parseRowLine(text, kinds, i + 1) }) ?? text;
      });
      writeFileSync(path, out.join("\n"));
    }
    return dir;
  }

  /** Restore `dir`; the error it fails with, or null. Without the transcoder when `valuesOnly`. */
  async function restore(dir: string, valuesOnly = false): Promise<GenDumpError | null> {
    if (valuesOnly) vi.spyOn(PostgresTarget.prototype, "rowTranscoder").mockReturnValue(null);
    try {
      await restoreDirectory(dir, { db: target.url, noinput: true });
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(GenDumpError);
      return error as GenDumpError;
    } finally {
      vi.restoreAllMocks();
    }
  }

  /** A line spelled as a person might: tags, separators, single quotes, a comment. */
  function handWritten(values: readonly DumpValue[]): string {
    const spelled = values.map((v, i) => {
      if (v === null) return "null";
      if (typeof v === "bigint") return i === 0 ? `int(${v}n)` : `${v}`.replace(/(\d)(\d)$/, "$1_$2");
      if (typeof v === "number") return `real(${Object.is(v, -0) ? "-0" : String(v)})`;
      if (typeof v === "boolean") return `bool(${v})`;
      if (typeof v === "string") return i % 2 === 0 ? `text(${encodeString(v)})` : `'${encodeString(v).slice(1, -1).replaceAll("'", "\\'")}'`;
      return `blob( '${Buffer.from(v as Uint8Array).toString("base64")}' )`;
    });
    return `[ ${spelled.join(" ,  ")} ] , // edited by hand`;
  }

  it("loads canonical and hand-edited lines to exactly the source's data, the edited ones through the value path", async () => {
    const edited = new Set(["7", "1499", "1500", "2001", "4321", "9007199254740993", "9007199254740996"]);
    const dir = editedDump((line) => (edited.has(String(line.values[0])) ? handWritten(line.values) : null));
    const addLine = vi.spyOn(PostgresRowTranscoder.prototype, "addLine");
    const addRow = vi.spyOn(PostgresRowTranscoder.prototype, "addRow");
    const insert = vi.spyOn(PostgresRowTranscoder.prototype, "insert");
    expect(await restore(dir)).toBeNull();
    expect(addRow).toHaveBeenCalledTimes(edited.size);
    // About 6 MB of COPY text: more than one insert, the next read while one is in flight.
    expect(insert.mock.calls.length).toBeGreaterThan(1);
    expect(addLine.mock.results.filter((r) => r.value === true).length).toBe(expected.length - edited.size);
    expect(await items(target.url)).toEqual(expected);
    // The value path alone gives the same data.
    expect(await restore(dir, true)).toBeNull();
    expect(await items(target.url)).toEqual(expected);
  });

  it("takes decimals spelled with more digits into float8 as written, to the same doubles", async () => {
    let spelled = 0;
    const dir = editedDump((line) => {
      const weight = line.values[3];
      if (typeof weight !== "number" || !Number.isFinite(weight) || Number(line.values[0]) % 3 !== 0) return null;
      // The decimal nearest the double, to 25 digits, with trailing zeros: it reads back to the same double.
      const text = `${weight.toPrecision(25)}00`;
      if (text.includes("e") || Number(text) !== weight) return null;
      spelled++;
      return encodeRow(line.values, kinds).replace(`, ${encodeValue(weight, "real")}, `, `, ${text}, `);
    });
    expect(spelled).toBeGreaterThan(1000);
    const addLine = vi.spyOn(PostgresRowTranscoder.prototype, "addLine");
    expect(await restore(dir)).toBeNull();
    expect(addLine.mock.results.every((r) => r.value === true)).toBe(true);
    expect(await items(target.url)).toEqual(expected);
  });

  it("fails as the value path does, naming file and line, and leaves the target unchanged", async () => {
    expect(await restore(dumpDir)).toBeNull();
    const cases: { what: string; id?: bigint; change: (values: DumpValue[]) => string; message: RegExp }[] = [
      // A string in an integer column: not canonical, refused by the parser with its column.
      { what: "kind", change: (v) => handWritten(v).replace(/^\[ int\((\d+)n\) ,  [^,]*,/, '[ int($1n) ,  "lots",'), message: /:\d+:\d+: a string where the column's type expects an integer.*column qty/ },
      // Canonical lines the server refuses: a CHECK violation, a timestamp it cannot read.
      { what: "check", change: (v) => encodeRow([v[0]!, -1n, ...v.slice(2)], kinds), message: /: Loading table public\.items failed at row \d+: .*qty_nonneg/ },
      { what: "timestamp", change: (v) => encodeRow([...v.slice(0, 5), "not a time", ...v.slice(6)], kinds), message: /: Loading table public\.items failed at row \d+ \(column at\): .*not a time/ },
      // The same in the second insert of the table (its first is still in flight while this one is read).
      { what: "late", id: 4999n, change: (v) => encodeRow([v[0]!, -1n, ...v.slice(2)], kinds), message: /: Loading table public\.items failed at row \d+: .*qty_nonneg/ },
      // A NUL: declined by the transcoder, refused by the writer's encoder.
      { what: "nul", change: (v) => encodeRow([...v.slice(0, 6), "a\0b", ...v.slice(7)], kinds), message: /: Loading table public\.items failed at row \d+ \(column note\): the text "a\\u0000b" cannot be stored in PostgreSQL text/ },
    ];
    for (const { what, id = 2345n, change, message } of cases) {
      let at = "";
      const dir = editedDump((line) => {
        if (line.values[0] !== id) return null;
        at = `${line.file}:${line.lineNo}`;
        return change(line.values);
      });
      const error = await restore(dir);
      expect(error?.message, what).toMatch(message);
      expect(error!.message.startsWith(`${at}:`), `${what}: ${error!.message}`).toBe(true);
      const valuesOnly = await restore(dir, true);
      const batchless = (text: string) => text.replace(/ at row \d+/, " at row N");
      expect(batchless(valuesOnly!.message), what).toBe(batchless(error!.message));
      expect(valuesOnly!.context, what).toEqual({ ...error!.context, row: valuesOnly!.context.row });
      expect(await items(target.url), what).toEqual(expected);
    }
  });
});
