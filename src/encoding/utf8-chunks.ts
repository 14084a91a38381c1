/** Bytes per chunk: large enough that a batch is a handful of chunks. */
const CHUNK = 256 * 1024;

/**
 * Text appended piece by piece (row lines), encoded to UTF-8 at once into chunks.
 *
 * NOTE: why not collect strings and `join`: each line is a concatenation (a tree of small
 * strings in V8) that stays alive until the whole batch is joined and flattened; measured
 * on a 1M-row restore, that flattening and the garbage collection of the trees were the
 * largest costs. Encoding each line at once lets its tree die young.
 */
export class Utf8Chunks {
  private readonly chunks: Buffer[] = [];
  private current = Buffer.allocUnsafe(CHUNK);
  private used = 0;

  append(text: string): void {
    // NOTE: one UTF-16 code unit is at most 3 UTF-8 bytes, so this bound is safe.
    if (text.length * 3 > this.current.length - this.used) {
      this.seal();
      if (text.length * 3 > CHUNK) {
        this.chunks.push(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.used += this.current.write(text, this.used, "utf8");
  }

  /** The bytes so far, in order; the builder is empty afterwards. */
  take(): Buffer[] {
    this.seal();
    return this.chunks.splice(0, this.chunks.length);
  }

  private seal(): void {
    if (this.used === 0) return;
    this.chunks.push(this.current.subarray(0, this.used));
    this.current = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
  }
}
