import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GenDumpError } from "../../src/errors.ts";
import { MAX_STEM, assertInside, dataFileName, parseTableFileStem, tableFileStem } from "../../src/planner/file-names.ts";
import { NASTY_PIECES } from "../support/value-arbitraries.ts";

const STEM = /^[a-z0-9_.~-]+$/;
const DEVICES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** Names built to collide: case variants, path parts, device names, our own file names. */
const nameArb = fc.oneof(
  fc.constantFrom("", ".", "..", "/", "\\", "a/b", "a.b", "-", "--", "-55-", "~", "restore", "schema", "dump-helpers", "data", "tsconfig",
    "con", "CON", "Con", "nul", "aux", "prn", "com1", "COM9", "lpt1", "conin$", "con.txt", "users", "Users", "USERS", "café", "cafe\u0301", "Ǆ", "ǅ", "ǆ",
    "ß", "SS", "ss", "İ", "i̇", "K", "k", "\u212a"), // Kelvin sign folds to k on some file systems
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.array(fc.oneof(fc.constantFrom(...NASTY_PIECES, "A", "a", "_", "0", "-", "."), fc.string({ maxLength: 2 })), { maxLength: 6 }).map((p) => p.join("")),
  fc.constantFrom("a", "A", "b", "B").chain((c) => fc.array(fc.constantFrom(c, c.toUpperCase(), c.toLowerCase()), { minLength: 1, maxLength: 6 }).map((p) => p.join(""))),
);
const tableArb = fc.record({ schema: fc.option(nameArb, { nil: null }), name: nameArb });

describe("tableFileStem", () => {
  it("golden examples", () => {
    expect(tableFileStem(null, "users")).toBe("users");
    expect(tableFileStem(null, "Users")).toBe("-55-sers");
    expect(tableFileStem(null, "café")).toBe("caf-e9-");
    expect(tableFileStem(null, "")).toBe("--");
    expect(tableFileStem(null, "😀")).toBe("-1f600-");
    expect(tableFileStem(null, "a.b/c")).toBe("a-2e-b-2f-c");
    expect(tableFileStem(null, "..")).toBe("-2e--2e-");
    expect(tableFileStem(null, "con")).toBe("-63-on");
    expect(tableFileStem(null, "CON")).toBe("-43--4f--4e-");
    expect(tableFileStem(null, "com1")).toBe("-63-om1");
    expect(tableFileStem(null, "console")).toBe("console");
    expect(tableFileStem("public", "order items")).toBe("public.order-20-items");
    expect(tableFileStem("nul", "")).toBe("-6e-ul.--");
    expect(tableFileStem(null, "a\0b")).toBe("a-0-b");
  });

  it("is portable, collision-free even case-insensitively, and reversible", () => {
    fc.assert(
      fc.property(fc.uniqueArray(tableArb, { selector: (t) => `${t.schema === null ? "null" : JSON.stringify(t.schema)}|${JSON.stringify(t.name)}`, maxLength: 30 }), (tables) => {
        const stems = tables.map((t) => tableFileStem(t.schema, t.name));
        expect(new Set(stems.map((s) => s.toLowerCase())).size).toBe(tables.length);
        expect(new Set(stems.map((s) => s.toUpperCase())).size).toBe(tables.length);
        stems.forEach((stem, i) => {
          expect(stem).toMatch(STEM);
          expect(stem.length).toBeLessThanOrEqual(MAX_STEM);
          const components = stem.split(".");
          expect(components.length).toBe(tables[i]!.schema === null ? 1 : 2);
          for (const part of components) {
            expect(part).not.toBe("");
            expect(part).not.toMatch(DEVICES);
          }
          expect(parseTableFileStem(stem)).toEqual(tables[i]);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("cuts long stems with a hash: still unique and portable, but not reversible", () => {
    const long = "é".repeat(100);
    const a = tableFileStem("s", long);
    const b = tableFileStem("s", long + "x");
    const c = tableFileStem("s", long.toUpperCase());
    for (const stem of [a, b, c]) {
      expect(stem.length).toBe(MAX_STEM);
      expect(stem).toMatch(/^[a-z0-9_.-]+~[0-9a-f]{16}$/);
      expect(() => parseTableFileStem(stem)).toThrow(GenDumpError);
    }
    expect(new Set([a, b, c]).size).toBe(3);
    expect(tableFileStem(null, "x".repeat(MAX_STEM))).toBe("x".repeat(MAX_STEM));
    expect(tableFileStem(null, "x".repeat(MAX_STEM + 1))).toMatch(/~[0-9a-f]{16}$/);
  });

  it("parseTableFileStem refuses what the encoder never writes", () => {
    for (const bad of ["-61-", "Users", "a.b.c", "-", "a-2e", "-110000-", "-0041-", "-63-om", "con", "a~0123456789abcdef", "a..b", ""]) {
      expect(() => parseTableFileStem(bad), bad).toThrow(GenDumpError);
    }
  });
});

describe("dataFileName", () => {
  it("names one part without a number, several with three digits at least", () => {
    expect(dataFileName("users", 1, 1)).toBe("data/users.ts");
    expect(dataFileName("public.users", 1, 2)).toBe("data/public.users.001.ts");
    expect(dataFileName("users", 42, 100)).toBe("data/users.042.ts");
    expect(dataFileName("users", 1234, 2000)).toBe("data/users.1234.ts");
    expect(() => dataFileName("users", 0, 2)).toThrow(GenDumpError);
    expect(() => dataFileName("users", 2, 1)).toThrow(GenDumpError);
    expect(() => dataFileName("users", 1.5, 2)).toThrow(GenDumpError);
  });
});

describe("assertInside", () => {
  const root = join(tmpdir(), "gen-dump-root");

  it("accepts paths strictly inside the root", () => {
    for (const ok of ["data/users.ts", "restore.ts", "..foo", "data/../schema.ts", "./a", "a/./b"]) {
      expect(() => assertInside(root, ok), ok).not.toThrow();
    }
  });

  it("refuses the root itself, parents, siblings and absolute paths", () => {
    for (const bad of ["", ".", "..", "../x", "data/../../x", "/etc/passwd", `${root}-sibling/x`, `../${"gen-dump-root"}-2/x`]) {
      let error: unknown;
      try {
        assertInside(root, bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(GenDumpError);
      expect((error as GenDumpError).code).toBe("INTERNAL");
    }
  });

  it("every data file name of every stem stays inside the dump directory", () => {
    fc.assert(
      fc.property(tableArb, fc.integer({ min: 1, max: 5000 }), ({ schema, name }, part) => {
        const stem = tableFileStem(schema, name);
        assertInside(root, dataFileName(stem, 1, 1));
        assertInside(root, dataFileName(stem, part, part + 1));
        expect(dataFileName(stem, part, part + 1).split("/")).toHaveLength(2);
      }),
      { numRuns: 2000 },
    );
  });
});
