/** `gen-dump check` as a function: verify a dump directory without a database. */
export { checkDump, type CheckOptions } from "./check-dump.ts";
export type { CheckCode, CheckProblem, CheckReport } from "./check-report.ts";
