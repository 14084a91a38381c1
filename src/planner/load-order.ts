import type { TableSchema } from "../model/schema-model.ts";

/**
 * Tables in foreign-key order: a table comes after the tables it references. Self
 * references are ignored; a cycle is broken at the table with the smallest key, so the
 * order is deterministic. (Foreign keys are checked after the load, so any order is
 * correct; this one is what a reader of restore.ts and a transform hook expect.)
 */
export function loadOrder(tables: readonly TableSchema[]): TableSchema[] {
  const byRef = new Map<string, TableSchema>();
  for (const t of tables) byRef.set(refKey(t.schema, t.name), t);
  const deps = new Map<string, Set<string>>();
  for (const t of tables) {
    const set = new Set<string>();
    for (const fk of t.foreignKeys) {
      const target = byRef.get(refKey(fk.refSchema ?? t.schema, fk.refTable));
      if (target !== undefined && target.key !== t.key) set.add(target.key);
    }
    deps.set(t.key, set);
  }
  const remaining = [...tables].sort((a, b) => compare(a.key, b.key));
  const done = new Set<string>();
  const order: TableSchema[] = [];
  while (remaining.length > 0) {
    let index = remaining.findIndex((t) => [...deps.get(t.key)!].every((d) => done.has(d)));
    if (index < 0) index = 0; // a cycle: break it at the smallest key
    const [next] = remaining.splice(index, 1);
    order.push(next!);
    done.add(next!.key);
  }
  return order;
}

function refKey(schema: string | null, name: string): string {
  return JSON.stringify([schema, name]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
