/**
 * SQL text helpers of the SQLite dialect: the one identifier quoting function, and a small
 * tokenizer that finds the pieces of CREATE statements the pragmas do not report
 * (collations, generated expressions, CHECK clauses, constraint names, DEFERRABLE).
 * It only has to split what SQLite already accepted, so it knows quotes, comments and
 * parentheses, and nothing of the grammar beyond that.
 * @see https://www.sqlite.org/lang_keywords.html
 * @see https://www.sqlite.org/lang_createtable.html
 */

/** Quote an identifier: `"` around it, every `"` inside doubled. The only way names enter SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quote a text literal: `'` around it, every `'` inside doubled. */
export function quoteText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export interface Token {
  /** `word` a bare keyword or name, `ident` a quoted name, `string` a '...' literal, `punct` one character. */
  readonly kind: "word" | "ident" | "string" | "punct";
  /** The name for words and idents (unquoted), the character for punct, the raw text for strings. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const CLOSERS: Readonly<Record<string, string>> = { '"': '"', "`": "`", "[": "]" };
// NOTE: SQLite treats every non-ASCII character as part of a name, and only ASCII
// whitespace as space. https://www.sqlite.org/draft/tokenreq.html
const WORD = /[A-Za-z0-9_$]|[^\x00-\x7f]/u;
const SPACE = /[ \t\n\f\r]/;

/** Split SQL into tokens, dropping whitespace and comments. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (SPACE.test(ch)) i++;
    else if (sql.startsWith("--", i)) i = endOf(sql.indexOf("\n", i), sql.length);
    else if (sql.startsWith("/*", i)) i = endOf(sql.indexOf("*/", i + 2), sql.length - 2) + 2;
    else if (ch === "'" || CLOSERS[ch] !== undefined) {
      const close = ch === "'" ? "'" : CLOSERS[ch]!;
      let j = i + 1;
      let value = "";
      while (j < sql.length) {
        if (sql[j] === close && close !== "]" && sql[j + 1] === close) {
          value += close;
          j += 2;
        } else if (sql[j] === close) break;
        else value += sql[j++];
      }
      const end = Math.min(j + 1, sql.length);
      tokens.push({ kind: ch === "'" ? "string" : "ident", value: ch === "'" ? sql.slice(i, end) : value, start: i, end });
      i = end;
    } else if (WORD.test(ch)) {
      let j = i + 1;
      while (j < sql.length && WORD.test(sql[j]!)) j++;
      tokens.push({ kind: "word", value: sql.slice(i, j), start: i, end: j });
      i = j;
    } else {
      tokens.push({ kind: "punct", value: ch, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

function endOf(found: number, fallback: number): number {
  return found < 0 ? fallback : found;
}

/** Whether a token is the bare keyword `word` (any letter case). */
export function isWord(token: Token | undefined, word: string): boolean {
  return token?.kind === "word" && token.value.toUpperCase() === word;
}

/** The name a word or quoted identifier stands for. */
export function nameOf(token: Token | undefined): string | null {
  return token !== undefined && (token.kind === "word" || token.kind === "ident") ? token.value : null;
}

/** Index of the `)` that closes the `(` at `open`, or the last token. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "punct") continue;
    if (t.value === "(") depth++;
    else if (t.value === ")" && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Split tokens[from, to) at top-level commas. */
export function splitTopLevel(tokens: readonly Token[], from: number, to: number): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind === "punct" && t.value === "(") {
      const close = Math.min(closingParen(tokens, i), to - 1);
      current.push(...tokens.slice(i, close + 1));
      i = close;
    } else if (t.kind === "punct" && t.value === ",") {
      parts.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** The source text between two tokens (inclusive), trimmed. */
export function textOf(sql: string, first: Token, last: Token): string {
  return sql.slice(first.start, last.end).trim();
}

/** The text inside the parentheses opened at tokens[open]. */
export function parenthesized(sql: string, tokens: readonly Token[], open: number): { readonly text: string; readonly close: number } {
  const close = closingParen(tokens, open);
  return { text: sql.slice(tokens[open]!.end, tokens[close]!.start).trim(), close };
}

/** Column names of a `(a, b COLLATE x DESC)` list opened at tokens[open]. */
export function nameList(tokens: readonly Token[], open: number): { readonly names: string[]; readonly close: number } {
  const close = closingParen(tokens, open);
  const names = splitTopLevel(tokens, open + 1, close)
    .map((part) => nameOf(part[0]))
    .filter((n): n is string => n !== null);
  return { names, close };
}

/** SQLite's name comparison: ASCII letters fold, nothing else does. */
export function sameName(a: string, b: string): boolean {
  return a.length === b.length && asciiLower(a) === asciiLower(b);
}

export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
