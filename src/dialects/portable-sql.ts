import type { EngineName } from "../model/schema-model.ts";

/**
 * The part of SQL that means the same in SQLite and PostgreSQL, for carrying CHECK
 * constraints and column defaults across engines. An expression is portable when every
 * character of it belongs to a token of a small common grammar: the table's own columns,
 * number and string literals, comparison, arithmetic and boolean operators, `IS [NOT]
 * NULL`, `IN (…)`, `BETWEEN`, and `length`/`lower`/`upper`/`abs`. What PostgreSQL adds
 * when it prints an expression back (casts of literals such as `'a'::text`, `= ANY
 * (ARRAY[…])` for `IN`, parentheses around the whole) is undone, so an expression that
 * went SQLite → PostgreSQL → SQLite reads as it was written.
 *
 * Anything else (other functions, `LIKE`, whose case rules differ, `GLOB`, subqueries,
 * casts of columns) is not portable: the caller leaves it out and says so. The result is
 * rebuilt from validated tokens only, identifiers re-quoted, so no text of the source can
 * escape its token.
 */

type Token =
  | { readonly type: "ident"; readonly name: string }
  | { readonly type: "number" | "string" | "op" | "word"; readonly text: string };

/** Words of the grammar (upper case); any other bare word must be a column or function. */
const WORDS = new Set(["AND", "OR", "NOT", "IS", "NULL", "IN", "BETWEEN"]);
const FUNCTIONS = new Set(["length", "lower", "upper", "abs"]);
/** Type names PostgreSQL casts literals to when it prints an expression. */
const LITERAL_CAST = /^::(?:text|integer|bigint|smallint|numeric|real|double precision|character varying|character|bpchar|date|time without time zone|timestamp without time zone)\b/i;
const OPERATORS = ["<>", "!=", "<=", ">=", "==", "||", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", "[", "]"];

/**
 * The expression in the common grammar, or null when it is not portable. `columns`: the
 * table's column names (an identifier must name one of them, compared without case the
 * way SQLite does).
 */
export function portableExpression(expression: string, columns: readonly string[]): string | null {
  const tokens = tokenize(expression, columns);
  if (tokens === null) return null;
  const rewritten = rewriteAny(tokens);
  if (rewritten === null || !balanced(rewritten) || rewritten.some((t, i) => isOp(t, "(") && isOp(rewritten[i + 1], ")"))) return null;
  const text = render(stripOuterParens(unwrapAllLiterals(rewritten)));
  return text === "" ? null : text;
}

function tokenize(text: string, columns: readonly string[]): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const length = nextToken(rest, tokens, columns);
    if (length === null) return null;
    i += length;
  }
  return tokens;
}

/** Read one token (or a space, or a cast of the literal before) into `tokens`; its length, or null. */
function nextToken(rest: string, tokens: Token[], columns: readonly string[]): number | null {
  const space = /^\s+/.exec(rest);
  if (space) return space[0].length;
  const cast = LITERAL_CAST.exec(rest);
  if (cast) {
    const previous = tokens.at(-1);
    return previous !== undefined && (isLiteral(previous) || closesLiteral(tokens)) ? cast[0].length : null;
  }
  const number = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/.exec(rest);
  if (number) return push(tokens, { type: "number", text: number[0] }, number[0].length);
  const string = /^'(?:[^']|'')*'/.exec(rest);
  if (string) return push(tokens, { type: "string", text: string[0] }, string[0].length);
  const quoted = /^"((?:[^"]|"")*)"/.exec(rest);
  const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
  const word = quoted ?? bare;
  if (word) {
    const token = wordToken(quoted ? quoted[1]!.replaceAll('""', '"') : word[0], quoted !== null, columns, rest.slice(word[0].length));
    return token === null ? null : push(tokens, token, word[0].length);
  }
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (op === undefined) return null;
  return push(tokens, { type: "op", text: op === "==" ? "=" : op === "!=" ? "<>" : op }, op.length);
}

function push(tokens: Token[], token: Token, length: number): number {
  tokens.push(token);
  return length;
}

function wordToken(word: string, quoted: boolean, columns: readonly string[], after: string): Token | null {
  if (!quoted && WORDS.has(word.toUpperCase())) return { type: "word", text: word.toUpperCase() };
  if (!quoted && (word.toUpperCase() === "ANY" || word.toUpperCase() === "ARRAY")) return { type: "word", text: word.toUpperCase() };
  if (!quoted && FUNCTIONS.has(word.toLowerCase()) && /^\s*\(/.test(after)) return { type: "word", text: word.toLowerCase() };
  // NOTE: a bare keyword is the keyword in both engines, even when a column has its name.
  if (!quoted && RESERVED.has(word.toUpperCase())) return null;
  const column = columns.find((c) => c === word) ?? columns.find((c) => c.toLowerCase() === word.toLowerCase());
  return column === undefined ? null : { type: "ident", name: column };
}

function isLiteral(token: Token): boolean {
  return token.type === "number" || token.type === "string";
}

/** `(literal)` just before: PostgreSQL prints `(0)::numeric`. */
function closesLiteral(tokens: readonly Token[]): boolean {
  const [open, literal, close] = tokens.slice(-3);
  return open?.type === "op" && open.text === "(" && literal !== undefined && isLiteral(literal) && close?.type === "op" && close.text === ")";
}

/** `x = ANY (ARRAY[a, b])` → `x IN (a, b)`; a lone ANY or ARRAY elsewhere is not portable. */
function rewriteAny(tokens: readonly Token[]): Token[] | null {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === "op" && t.text === "=" && isWord(tokens[i + 1], "ANY") && isOp(tokens[i + 2], "(") && isWord(tokens[i + 3], "ARRAY") && isOp(tokens[i + 4], "[")) {
      const end = tokens.findIndex((x, n) => n > i + 4 && isOp(x, "]"));
      if (end < 0 || !isOp(tokens[end + 1], ")")) return null;
      const items = tokens.slice(i + 5, end);
      if (!items.every((x, n) => (n % 2 === 0 ? isLiteral(x) : isOp(x, ",")))) return null;
      out.push({ type: "word", text: "IN" }, { type: "op", text: "(" }, ...items, { type: "op", text: ")" });
      i = end + 1;
      continue;
    }
    if (isWord(t, "ANY") || isWord(t, "ARRAY") || isOp(t, "[") || isOp(t, "]")) return null;
    out.push(t);
  }
  return out;
}

function isWord(token: Token | undefined, text: string): boolean {
  return token?.type === "word" && token.text === text;
}

function isOp(token: Token | undefined, text: string): boolean {
  return token?.type === "op" && token.text === text;
}

function balanced(tokens: readonly Token[]): boolean {
  let depth = 0;
  for (const t of tokens) {
    if (isOp(t, "(")) depth++;
    else if (isOp(t, ")") && --depth < 0) return false;
  }
  return depth === 0;
}

/** {@link unwrapLiterals} until nothing changes: `((0))` → `0`, so the result reads back the same. */
function unwrapAllLiterals(tokens: Token[]): Token[] {
  for (;;) {
    const out = unwrapLiterals(tokens);
    if (out.length === tokens.length) return out;
    tokens = out;
  }
}

/** `(0)` → `0`: the parentheses PostgreSQL puts around a cast literal. */
function unwrapLiterals(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const before = out.at(-1);
    const callOrList = before !== undefined && (before.type === "word" || before.type === "ident" || isOp(before, ")"));
    if (isOp(tokens[i], "(") && isLiteral(tokens[i + 1] ?? { type: "op", text: "" }) && isOp(tokens[i + 2], ")") && !callOrList) {
      out.push(tokens[i + 1]!);
      i += 2;
    } else out.push(tokens[i]!);
  }
  return out;
}

/** Drop parentheses that enclose the whole expression. */
function stripOuterParens(tokens: Token[]): Token[] {
  while (tokens.length >= 2 && isOp(tokens[0], "(") && isOp(tokens.at(-1), ")") && balanced(tokens.slice(1, -1)) && closesAtEnd(tokens)) {
    tokens = tokens.slice(1, -1);
  }
  return tokens;
}

/** Whether the first `(` is closed by the last token (not `(a) AND (b)`). */
function closesAtEnd(tokens: readonly Token[]): boolean {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (isOp(tokens[i], "(")) depth++;
    else if (isOp(tokens[i], ")") && --depth === 0) return i === tokens.length - 1;
  }
  return false;
}

/** One space between tokens, none inside parentheses or before a comma or a call's `(`. */
function render(tokens: readonly Token[]): string {
  let out = "";
  tokens.forEach((t, i) => {
    const text = t.type === "ident" ? identifier(t.name) : t.text;
    const previous = tokens[i - 1];
    const glued = previous === undefined || isOp(previous, "(") || isOp(t, ")") || isOp(t, ",") || (isOp(t, "(") && previous.type === "word" && FUNCTIONS.has(previous.text));
    out += glued ? text : ` ${text}`;
  });
  return out;
}

/** A column name bare when both engines read it unchanged, else double-quoted. */
function identifier(name: string): string {
  const plain = /^[a-z_][a-z0-9_]*$/.test(name) && !WORDS.has(name.toUpperCase()) && !RESERVED.has(name.toUpperCase());
  return plain ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Words either engine reserves (a column so named is quoted). */
const RESERVED = new Set(
  "ALL ANALYSE ANALYZE ANY ARRAY AS ASC ASYMMETRIC BOTH CASE CAST CHECK COLLATE COLUMN CONSTRAINT CREATE CURRENT_CATALOG CURRENT_DATE CURRENT_ROLE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DEFAULT DEFERRABLE DESC DISTINCT DO ELSE END EXCEPT FALSE FETCH FOR FOREIGN FROM GRANT GROUP HAVING INITIALLY INTERSECT INTO LATERAL LEADING LIMIT LOCALTIME LOCALTIMESTAMP OFFSET ON ONLY ORDER PLACING PRIMARY REFERENCES RETURNING SELECT SESSION_USER SOME SYMMETRIC TABLE THEN TO TRAILING TRUE UNION UNIQUE USER USING VARIADIC WHEN WHERE WINDOW WITH LIKE GLOB ESCAPE ISNULL NOTNULL REGEXP MATCH".split(" "),
);

/** A column default that means the same in both engines. */
export type PortableDefault =
  | { readonly kind: "literal"; readonly sql: string }
  /** The current UTC date/time as SQLite's CURRENT_* write it (`YYYY-MM-DD HH:MM:SS`, …). */
  | { readonly kind: "now"; readonly part: "timestamp" | "date" | "time" };

/** A literal default: a number (also as PostgreSQL prints a negative one, `'-1'::integer`), a string (a cast after it dropped), NULL. */
function portableLiteral(expression: string): PortableDefault | null {
  const text = expression.trim().replace(/^\((.*)\)$/s, "$1").trim();
  const number = /^[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.exec(text);
  if (number) return { kind: "literal", sql: number[0] };
  const castNumber = /^'([+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)'::(?:integer|bigint|smallint|numeric|real|double precision)$/i.exec(text);
  if (castNumber) return { kind: "literal", sql: castNumber[1]! };
  const quoted = /^('(?:[^']|'')*')(?:::[a-z_][a-z0-9_ ]*(?:\(\d+(?:,\d+)?\))?)?$/i.exec(text);
  if (quoted) return { kind: "literal", sql: quoted[1]! };
  if (/^null$/i.test(text)) return { kind: "literal", sql: "NULL" };
  return null;
}

type NowPart = "timestamp" | "date" | "time";

/**
 * How each engine spells "now, in UTC, as SQLite writes it". SQLite's CURRENT_* are UTC
 * text with whole seconds; PostgreSQL gets the same value from these expressions (by the
 * column's type: a timestamp/date/time column, or text), and prints them back as below.
 */
const NOW_SPELLINGS: Readonly<Record<EngineName, Readonly<Record<NowPart, readonly string[]>>>> = {
  sqlite: {
    timestamp: ["CURRENT_TIMESTAMP", "datetime('now')", "(datetime('now'))"],
    date: ["CURRENT_DATE", "date('now')", "(date('now'))"],
    time: ["CURRENT_TIME", "time('now')", "(time('now'))"],
  },
  postgres: {
    timestamp: ["(CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC'::text)", "to_char((CURRENT_TIMESTAMP AT TIME ZONE 'UTC'::text), 'YYYY-MM-DD HH24:MI:SS'::text)"],
    date: ["((CURRENT_TIMESTAMP AT TIME ZONE 'UTC'::text))::date", "to_char((CURRENT_TIMESTAMP AT TIME ZONE 'UTC'::text), 'YYYY-MM-DD'::text)"],
    time: ["((CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC'::text))::time without time zone", "to_char((CURRENT_TIMESTAMP AT TIME ZONE 'UTC'::text), 'HH24:MI:SS'::text)"],
  },
};

const PG_NOW: Readonly<Record<NowPart, { readonly typed: string; readonly text: string; readonly type: RegExp }>> = {
  timestamp: { typed: "(CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC')", text: "to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')", type: /^timestamp(?:\(\d\))?(?: without time zone)?$/i },
  date: { typed: "((CURRENT_TIMESTAMP AT TIME ZONE 'UTC'))::date", text: "to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC', 'YYYY-MM-DD')", type: /^date$/i },
  time: { typed: "((CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC'))::time", text: "to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC', 'HH24:MI:SS')", type: /^time(?:\(\d\))?(?: without time zone)?$/i },
};

/** What a default of `engine`'s SQL means in the common grammar, or null when it means something only that engine has. */
export function portableDefault(expression: string, engine: EngineName): PortableDefault | null {
  const text = expression.trim();
  for (const part of ["timestamp", "date", "time"] as const) {
    if (NOW_SPELLINGS[engine][part].some((s) => s.toLowerCase() === text.toLowerCase())) return { kind: "now", part };
  }
  return portableLiteral(text);
}

/**
 * The default clause's expression in `engine` for a column of SQL type `columnType`, or
 * null when that column cannot take it (a "now" default in a column that is neither its
 * date/time type nor text).
 */
export function defaultSql(value: PortableDefault, engine: EngineName, columnType: string): string | null {
  if (value.kind === "literal") return value.sql;
  if (engine === "sqlite") return NOW_SPELLINGS.sqlite[value.part][0]!;
  const now = PG_NOW[value.part];
  if (now.type.test(columnType.trim())) return now.typed;
  if (/^(?:text|character varying(?:\(\d+\))?|varchar(?:\(\d+\))?)$/i.test(columnType.trim())) return now.text;
  return null;
}

/** The table's columns an expression names (outside string literals), each once, in column order. */
export function referencedColumns(expression: string, columns: readonly string[]): string[] {
  const found = new Set<string>();
  const pattern = /'(?:[^']|'')*'|"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_$]*)/g;
  for (const m of expression.matchAll(pattern)) {
    const name = m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2];
    if (name === undefined) continue;
    const column = m[1] !== undefined ? columns.find((c) => c === name) : columns.find((c) => c === name.toLowerCase() || c === name);
    if (column !== undefined) found.add(column);
  }
  return columns.filter((c) => found.has(c));
}
