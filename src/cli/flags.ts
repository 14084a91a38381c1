import { parseArgs } from "node:util";
import { GenDumpError } from "../errors.ts";

/** A command-line flag, declared as data: parsing and --help both come from it. */
export interface FlagSpec {
  readonly name: string;
  readonly type: "boolean" | "string";
  readonly short?: string;
  /** Shown after the flag in --help (`--db URL`). */
  readonly value?: string;
  readonly multiple?: boolean;
  readonly description: string;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** Parse argv against the specs; an unknown flag or a missing value is a USAGE error. */
export function parseFlags(
  specs: readonly FlagSpec[],
  argv: readonly string[],
  command: string,
): { values: FlagValues; positionals: string[] } {
  const options = Object.fromEntries(
    specs.map((s) => [s.name, { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) }]),
  );
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as FlagValues, positionals };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GenDumpError("USAGE", `${reason} Run \`${command} --help\` for the options.`);
  }
}

/** The --help text: usage lines, then one line per flag. */
export function helpText(usage: readonly string[], summary: string, specs: readonly FlagSpec[]): string {
  const left = specs.map((s) => `${s.short ? `-${s.short}, ` : "    "}--${s.name}${s.value ? ` ${s.value}` : ""}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = specs.map((s, i) => `  ${left[i]!.padEnd(width)}${s.description}`);
  return [...usage.map((u, i) => `${i === 0 ? "Usage:" : "      "} ${u}`), "", summary, "", "Options:", ...lines, ""].join("\n");
}

/** A whole number flag, or undefined when absent. */
export function intFlag(values: FlagValues, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    throw new GenDumpError("USAGE", `--${name} takes a positive whole number, not ${JSON.stringify(raw)}.`);
  }
  return n;
}

export function stringFlag(values: FlagValues, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === "string" ? raw : undefined;
}

export function listFlag(values: FlagValues, name: string): string[] {
  const raw = values[name];
  return Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : [];
}
