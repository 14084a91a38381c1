import { hexDigit } from "../../encoding/ascii-digits.ts";

/**
 * COPY's text format, both ways: one row per line, fields separated by a tab, `\N` for
 * NULL, and backslash escapes for backslash, tab, newline and carriage return.
 * @see https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2
 */

const ESCAPES: Readonly<Record<string, string>> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** {@link ESCAPES} by byte: the byte an escape letter stands for (`n` → 0x0a), else -1. */
export const ESCAPE_BYTES: Readonly<Int16Array> = (() => {
  const table = new Int16Array(256).fill(-1);
  for (const [letter, ch] of Object.entries(ESCAPES)) table[letter.charCodeAt(0)] = ch.charCodeAt(0);
  return table;
})();

/** Split one COPY text line (without its newline) into fields; null for `\N`. */
export function parseCopyLine(line: string, out: (string | null)[]): void {
  out.length = 0;
  let start = 0;
  for (;;) {
    const tab = line.indexOf("\t", start);
    const field = tab < 0 ? line.slice(start) : line.slice(start, tab);
    out.push(field === "\\N" ? null : field.includes("\\") ? unescapeField(field) : field);
    if (tab < 0) return;
    start = tab + 1;
  }
}

/**
 * Undo COPY's backslash escapes. COPY TO only writes the single-letter ones, but the
 * octal (`\123`) and hex (`\x41`) forms are decoded too, as COPY FROM does.
 */
export function unescapeField(field: string): string {
  let out = "";
  for (let i = 0; i < field.length; i++) {
    const ch = field[i]!;
    if (ch !== "\\" || i + 1 >= field.length) {
      out += ch;
      continue;
    }
    const next = field[++i]!;
    const simple = ESCAPES[next];
    if (simple !== undefined) out += simple;
    else if (next >= "0" && next <= "7") {
      const digits = /^[0-7]{1,3}/.exec(field.slice(i))![0];
      out += String.fromCharCode(parseInt(digits, 8) & 0xff);
      i += digits.length - 1;
    } else if (next === "x" && /^[0-9a-fA-F]/.test(field[i + 1] ?? "")) {
      const digits = /^[0-9a-fA-F]{1,2}/.exec(field.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(digits, 16));
      i += digits.length;
    } else out += next;
  }
  return out;
}

/**
 * {@link unescapeField} on bytes (a field that is not valid UTF-8): the octal and hex
 * escapes give bytes, as COPY FROM reads them; the field itself when it has no backslash.
 */
export function unescapeBytes(field: Buffer): Buffer {
  if (field.indexOf(0x5c) < 0) return field;
  const out = Buffer.allocUnsafe(field.length);
  let o = 0;
  for (let i = 0; i < field.length; i++) {
    const b = field[i]!;
    if (b !== 0x5c || i + 1 >= field.length) {
      out[o++] = b;
      continue;
    }
    const next = field[++i]!;
    const simple = ESCAPE_BYTES[next]!;
    if (simple >= 0) out[o++] = simple;
    else if (next >= 0x30 && next <= 0x37) {
      let value = next - 0x30;
      for (let k = 0; k < 2 && field[i + 1]! >= 0x30 && field[i + 1]! <= 0x37; k++) value = value * 8 + (field[++i]! - 0x30);
      out[o++] = value & 0xff;
    } else if (next === 0x78 && hexDigit(field[i + 1]) >= 0) {
      let value = hexDigit(field[++i]);
      if (hexDigit(field[i + 1]) >= 0) value = value * 16 + hexDigit(field[++i]);
      out[o++] = value;
    } else out[o++] = next;
  }
  return out.subarray(0, o);
}

/** Escape a string for a COPY text field (the NULL marker `\N` can then never occur). */
export function escapeCopyText(text: string): string {
  if (!/[\\\t\n\r]/.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (ch) => (ch === "\\" ? "\\\\" : ch === "\t" ? "\\t" : ch === "\n" ? "\\n" : "\\r"));
}

/** A float in the shortest form that reads back to the same double; PostgreSQL's spelling of the specials. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (Object.is(value, -0)) return "-0";
  return String(value);
}

/** Bytes as a bytea hex literal inside a COPY field (`\\x` + hex: the backslash is escaped). */
export function formatBytea(bytes: Uint8Array): string {
  return `\\\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}
