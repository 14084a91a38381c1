import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSql, portableDefault, portableExpression, referencedColumns } from "../../src/dialects/portable-sql.ts";
import { stringArb } from "../support/value-arbitraries.ts";

const COLUMNS = ["qty", "f", "e", "h", "My Col", "select", "g"];

describe("portableExpression", () => {
  it("keeps SQLite's own checks and undoes what PostgreSQL adds when it prints them", () => {
    const cases: [string, string][] = [
      ["qty > 0", "qty > 0"],
      ["(qty > 0)", "qty > 0"],
      ["QTY>=0 and qty<=100", "qty >= 0 AND qty <= 100"],
      ["((f > (0)::numeric) AND (f < 10.5))", "(f > 0) AND (f < 10.5)"],
      ["(e = ANY (ARRAY['a'::text, 'b'::text]))", "e IN ('a', 'b')"],
      ["e IN ('a', 'b')", "e IN ('a', 'b')"],
      ["((length(h) < 3) AND (lower(h) <> 'x'::text))", "(length(h) < 3) AND (lower(h) <> 'x')"],
      ["qty == 1 OR qty != 2", "qty = 1 OR qty <> 2"],
      ["((g % 2) = 0)", "(g % 2) = 0"],
      ["g BETWEEN 1 AND 5", "g BETWEEN 1 AND 5"],
      ["h IS NOT NULL", "h IS NOT NULL"],
      ['"My Col" > 1 AND "select" < 2', '"My Col" > 1 AND "select" < 2'],
      ["(qty > 0) AND (g > 0)", "(qty > 0) AND (g > 0)"],
      ["h || 'x' <> 'it''s'", "h || 'x' <> 'it''s'"],
      ["((qty)::numeric > 1.5e3)", null as unknown as string],
    ];
    for (const [input, output] of cases) expect(portableExpression(input, COLUMNS), input).toBe(output);
  });

  it("refuses what one engine reads differently or not at all", () => {
    for (const input of [
      "h LIKE 'a%'",
      "typeof(qty) = 'integer'",
      "qty > (SELECT 1)",
      "other > 1",
      "((h)::text ~ '^[a-z]+$'::text)",
      "qty > 0); DROP TABLE t; --",
      "qty > 0 -- comment",
      "h = 'open",
      "qty > 0)",
      "(qty > 0",
      "qty = ANY (ARRAY[g, 1])",
      "qty = true",
      "",
    ]) {
      expect(portableExpression(input, COLUMNS), input).toBeNull();
    }
  });

  it("gives text it reads back unchanged, with any string kept exactly in its literal", () => {
    fc.assert(
      fc.property(stringArb, (text) => {
        const literal = `'${text.replaceAll("'", "''")}'`;
        const out = portableExpression(`h = ${literal}`, COLUMNS);
        expect(out).toBe(`h = ${literal}`);
        expect(portableExpression(out!, COLUMNS)).toBe(out);
      }),
      { numRuns: 1000 },
    );
  });

  it("unwraps a literal in nested parentheses in one go", () => {
    const once = portableExpression("qty = (('x'))", COLUMNS);
    expect(once).toBe("qty = 'x'");
    expect(portableExpression(" = (('x'))", COLUMNS)).toBe(portableExpression(portableExpression(" = (('x'))", COLUMNS)!, COLUMNS));
  });

  it("is idempotent on whatever it accepts", () => {
    const piece = fc.constantFrom("qty", "(", ")", " AND ", " OR ", " > ", " = ", "0", "'x'", "::text", " IN ", ",", "length(", '"My Col"', "NOT ", ";", "--", "/*");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const out = portableExpression(parts.join(""), COLUMNS);
        if (out !== null) {
          expect(portableExpression(out, COLUMNS)).toBe(out);
          expect(out).not.toMatch(/;|--|\/\*/);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe("portable defaults", () => {
  it("reads SQLite's and PostgreSQL's spellings of the same default", () => {
    expect(portableDefault("CURRENT_TIMESTAMP", "sqlite")).toEqual({ kind: "now", part: "timestamp" });
    expect(portableDefault("datetime('now')", "sqlite")).toEqual({ kind: "now", part: "timestamp" });
    expect(portableDefault("current_date", "sqlite")).toEqual({ kind: "now", part: "date" });
    expect(portableDefault("(CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC'::text)", "postgres")).toEqual({ kind: "now", part: "timestamp" });
    expect(portableDefault("((CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC'::text))::time without time zone", "postgres")).toEqual({ kind: "now", part: "time" });
    expect(portableDefault("'-1'::integer", "postgres")).toEqual({ kind: "literal", sql: "-1" });
    expect(portableDefault("'it''s'::character varying", "postgres")).toEqual({ kind: "literal", sql: "'it''s'" });
    expect(portableDefault("-2.5", "sqlite")).toEqual({ kind: "literal", sql: "-2.5" });
    expect(portableDefault("now()", "postgres")).toBeNull();
    expect(portableDefault("CURRENT_TIMESTAMP", "postgres")).toBeNull();
    expect(portableDefault("(random())", "sqlite")).toBeNull();
  });

  it("writes a now default for the column's type, or nothing when the column cannot take it", () => {
    const now = { kind: "now", part: "timestamp" } as const;
    expect(defaultSql(now, "sqlite", "")).toBe("CURRENT_TIMESTAMP");
    expect(defaultSql(now, "postgres", "timestamp")).toBe("(CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC')");
    expect(defaultSql(now, "postgres", "text")).toBe("to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')");
    expect(defaultSql({ kind: "now", part: "date" }, "postgres", "date")).toBe("((CURRENT_TIMESTAMP AT TIME ZONE 'UTC'))::date");
    expect(defaultSql(now, "postgres", "bigint")).toBeNull();
  });

  it("names the columns an expression uses, outside string literals", () => {
    expect(referencedColumns("(qty > 0) AND 'g' <> h AND \"My Col\" = 1", COLUMNS)).toEqual(["qty", "h", "My Col"]);
  });
});
