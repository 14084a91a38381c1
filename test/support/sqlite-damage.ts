import { readFileSync, writeFileSync } from "node:fs";

/**
 * Damage a SQLite file the way a bad disk would: find the overflow page of a value made
 * of 20,000 "A"s (written by the caller, then the database closed) and point its link to
 * a page that does not exist, so that reading that one row fails with SQLITE_CORRUPT
 * while every other row still reads.
 * NOTE: an overflow page starts with the number of the next one, then payload.
 * @see https://www.sqlite.org/fileformat.html#ovflpgs
 */
export function damageOverflowPage(path: string, pageSize: number): void {
  const bytes = readFileSync(path);
  for (let at = pageSize; at < bytes.length; at += pageSize) {
    const page = bytes.subarray(at, at + pageSize);
    if (page.readUInt32BE(0) !== 0 && page.subarray(4).every((b) => b === 0x41)) {
      page.writeUInt32BE(0x00ffffff, 0);
      writeFileSync(path, bytes);
      return;
    }
  }
  throw new Error("no overflow page to damage");
}
