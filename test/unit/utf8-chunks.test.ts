import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TextByteBuffer } from "../../src/emitter/text-byte-buffer.ts";
import { Utf8Chunks } from "../../src/encoding/utf8-chunks.ts";

/** Pieces of every size class: tiny, multi-byte, astral, near and above the chunk sizes. */
function pieces(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 3000; i++) out.push(`[${i}, "é✓😀\\u2028 ${"x".repeat(i % 97)}"],\n`);
  out.push("ü".repeat(300_000)); // > 256 KB of bytes: written as its own chunk
  out.push("😀".repeat(200_000)); // > 1 MB of bytes
  for (let i = 0; i < 50_000; i++) out.push(`${i}✓\n`);
  return out;
}

describe("Utf8Chunks", () => {
  it("gives exactly the UTF-8 bytes of the text appended, in order", () => {
    const chunks = new Utf8Chunks();
    const all = pieces();
    for (const p of all) chunks.append(p);
    const bytes = Buffer.concat(chunks.take());
    expect(bytes.equals(Buffer.from(all.join(""), "utf8"))).toBe(true);
    expect(chunks.take()).toEqual([]);
  });
});

describe("TextByteBuffer", () => {
  it("writes and hashes exactly the UTF-8 bytes of the text appended", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "gen-dump-tbb-")), "out.ts");
    const handle = await open(path, "wx");
    const hash = createHash("sha256");
    const buffer = new TextByteBuffer();
    const all = pieces();
    try {
      for (const p of all) {
        buffer.append(p);
        if (buffer.full) await buffer.flush(handle, hash);
      }
      await buffer.flush(handle, hash);
    } finally {
      await handle.close();
    }
    const expected = Buffer.from(all.join(""), "utf8");
    expect(readFileSync(path).equals(expected)).toBe(true);
    expect(hash.digest("hex")).toBe(createHash("sha256").update(expected).digest("hex"));
  });
});
