import type { PgSession } from "./postgres-connection.ts";
import type { ReadPlan } from "./postgres-read-plan.ts";

/** Keys sampled to place the splits: enough for chunks within a percent or so of equal. */
const SAMPLE_ROWS = 30_000;

/**
 * Key values at about the `count`-quantiles of the table's rows: `percentile_disc` over a
 * block sample (TABLESAMPLE SYSTEM, repeatable, so the same table gives the same splits),
 * or, when the sample is empty (a small or stale-statistics table), the key's min..max
 * cut into equal spans. The splits only balance the work; any ascending values give the
 * same rows in the same order. See `SourceConnection.keySplits`.
 * @see https://www.postgresql.org/docs/current/sql-select.html#SQL-FROM (TABLESAMPLE)
 * @see https://www.postgresql.org/docs/current/functions-aggregate.html#FUNCTIONS-ORDEREDSET-TABLE
 */
export async function postgresKeySplits(session: PgSession, plan: ReadPlan, estimate: number, count: number): Promise<bigint[] | null> {
  const key = plan.rangeKey;
  if (key === null) return null;
  if (count < 2) return [];
  const fractions = Array.from({ length: count - 1 }, (_, i) => ((i + 1) / count).toString()).join(", ");
  const percent = Math.min(100, Math.max(0.001, (100 * SAMPLE_ROWS) / Math.max(1, estimate)));
  const [sampled] = await session.query<{ splits: string | null }>(
    `SELECT (percentile_disc(ARRAY[${fractions}]::float8[]) WITHIN GROUP (ORDER BY ${key}))::text AS splits ` +
      `FROM ${plan.relation} TABLESAMPLE SYSTEM (${percent.toFixed(6)}) REPEATABLE (0)`,
  );
  const values = parseIntegerArray(sampled?.splits ?? null) ?? (await evenSplits(session, plan, key, count));
  return values.filter((v, i) => i === 0 || v > values[i - 1]!);
}

/** min..max of the key cut into `count` equal spans. */
async function evenSplits(session: PgSession, plan: ReadPlan, key: string, count: number): Promise<bigint[]> {
  const [row] = await session.query<{ lo: string | null; hi: string | null }>(`SELECT min(${key})::text AS lo, max(${key})::text AS hi FROM ${plan.relation}`);
  if (row?.lo == null || row.hi == null) return [];
  const [lo, hi] = [BigInt(row.lo), BigInt(row.hi)];
  return Array.from({ length: count - 1 }, (_, i) => lo + ((hi - lo) * BigInt(i + 1)) / BigInt(count)).filter((v) => v > lo);
}

/** `{1,2,3}` (an int array's text form) as bigints; null for NULL or an array of NULLs. */
function parseIntegerArray(text: string | null): bigint[] | null {
  if (text === null || !text.startsWith("{") || !text.endsWith("}")) return null;
  const items = text.slice(1, -1).split(",");
  if (items.length === 0 || items.some((item) => !/^-?\d+$/.test(item))) return null;
  return items.map((item) => BigInt(item));
}
