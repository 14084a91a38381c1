import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countForeignKeyViolations } from "../../src/dialects/sqlite/sqlite-catalog.ts";

/**
 * The violation count gen-dump records (and a restore compares against) is counted in key
 * order for speed; it must be exactly what PRAGMA foreign_key_check reports.
 */
function pragmaCount(db: Database.Database, table: string): number | null {
  try {
    return Number(db.prepare("SELECT count(*) FROM pragma_foreign_key_check(?)").pluck().get(table));
  } catch {
    return null;
  }
}

describe("countForeignKeyViolations", () => {
  it("counts what PRAGMA foreign_key_check reports, case by case", () => {
    const db = new Database(":memory:");
    db.pragma("foreign_keys = OFF");
    db.exec(`
      CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT COLLATE NOCASE UNIQUE, a INTEGER, b TEXT, dup INTEGER, UNIQUE (a, b));
      INSERT INTO p VALUES (1, 'x', 1, 'one', 5), (2, 'Y', 2, 'two', 5), (3, NULL, NULL, NULL, 6);
      CREATE TABLE plain (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p);
      INSERT INTO plain VALUES (1, 1), (2, 9), (3, NULL), (4, 9), (5, '2'), (6, '02'), (7, 2.0), (8, 'abc');
      CREATE TABLE bycode (id INTEGER PRIMARY KEY, code TEXT REFERENCES p (code));
      INSERT INTO bycode VALUES (1, 'X'), (2, 'y'), (3, 'z'), (4, NULL), (5, 1);
      CREATE TABLE pair (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, FOREIGN KEY (a, b) REFERENCES p (a, b));
      INSERT INTO pair VALUES (1, 1, 'one'), (2, 1, 'two'), (3, NULL, 'zzz'), (4, 9, NULL), (5, 2, 'two');
      CREATE TABLE two (id INTEGER PRIMARY KEY, x INTEGER REFERENCES p, y TEXT REFERENCES p (code), self INTEGER REFERENCES two);
      INSERT INTO two VALUES (1, 1, 'q', 1), (2, 7, 'x', 5), (3, 8, 'w', NULL);
      CREATE TABLE orphan (id INTEGER PRIMARY KEY, gone INTEGER REFERENCES missing (id));
      INSERT INTO orphan VALUES (1, 1), (2, NULL);
      CREATE TABLE mismatch (id INTEGER PRIMARY KEY, d INTEGER REFERENCES p (dup));
      INSERT INTO mismatch VALUES (1, 5);
      CREATE TABLE keyless (id INTEGER PRIMARY KEY, v INTEGER);
    `);
    const expected: Record<string, number | null> = { plain: 3, bycode: 2, pair: 1, two: 5, orphan: 1, mismatch: null, keyless: 0, p: 0 };
    for (const [table, count] of Object.entries(expected)) {
      expect(pragmaCount(db, table), table).toBe(count);
      expect(countForeignKeyViolations(db as never, table), table).toBe(count);
    }
    db.close();
  });

  it("agrees with the pragma on random references, composite keys and NULLs", () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(null, "1", "x", 2.5, "X"));
    const pairs = fc.array(fc.tuple(value, value), { maxLength: 12 });
    fc.assert(
      fc.property(pairs, pairs, (parents, children) => {
        const db = new Database(":memory:");
        db.pragma("foreign_keys = OFF");
        // c converts (the pragma's own count is used); c2's affinities match (counted in key order).
        db.exec(`CREATE TABLE p (a, b TEXT COLLATE NOCASE, UNIQUE (a, b)); CREATE TABLE c (x, y, FOREIGN KEY (x, y) REFERENCES p (a, b));
          CREATE TABLE p2 (a INTEGER, b TEXT COLLATE NOCASE, UNIQUE (a, b)); CREATE TABLE c2 (x INT, y TEXT, FOREIGN KEY (x, y) REFERENCES p2 (a, b))`);
        for (const [parent, child] of [["p", "c"], ["p2", "c2"]]) {
          const addParent = db.prepare(`INSERT OR IGNORE INTO ${parent} VALUES (?, ?)`);
          for (const [a, b] of parents) addParent.run(a, b);
          const addChild = db.prepare(`INSERT INTO ${child} VALUES (?, ?)`);
          for (const [x, y] of children) addChild.run(x, y);
          expect(countForeignKeyViolations(db as never, child!), child).toBe(pragmaCount(db, child!));
        }
        db.close();
      }),
      { numRuns: 300 },
    );
  });
});
