import type { Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";

/** Bytes gathered before a write: large enough that a write call is rare. */
const SIZE = 1 << 20;

/**
 * UTF-8 bytes of text waiting to be written to one file, encoded straight into a reused
 * 1 MB Buffer as each piece (a row line) arrives.
 *
 * NOTE: why not `text += line` and `Buffer.from(text)` later: a row line is a string
 * built by concatenation (a tree of small strings in V8), and a long-lived string of
 * thousands of such trees is flattened only when written; on a 1M-row dump that flattening
 * and the garbage-collector work of keeping the trees alive were the largest single cost
 * (see /work/notes/profile.md). Writing each line into bytes at once lets it die young.
 */
export class TextByteBuffer {
  private bytes = Buffer.allocUnsafe(SIZE);
  private used = 0;
  /** Filled buffers (and oversized pieces) waiting, in order, before `bytes`. */
  private sealed: Buffer[] = [];

  /** Bytes waiting to be written. */
  get pendingBytes(): number {
    let total = this.used;
    for (const piece of this.sealed) total += piece.length;
    return total;
  }

  /** Whether enough is pending that the owner should `flush`. */
  get full(): boolean {
    return this.sealed.length > 0 || this.used >= SIZE - 4096;
  }

  append(text: string): void {
    // NOTE: one UTF-16 code unit is at most 3 UTF-8 bytes, so this bound is safe.
    if (text.length * 3 > SIZE - this.used) {
      if (this.used > 0) {
        this.sealed.push(this.bytes.subarray(0, this.used));
        this.bytes = Buffer.allocUnsafe(SIZE);
        this.used = 0;
      }
      if (text.length * 3 > SIZE) {
        this.sealed.push(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.used += this.bytes.write(text, this.used, "utf8");
  }

  /** Bytes (already UTF-8), copied: the caller may reuse `piece` once this returns. */
  appendBytes(piece: Uint8Array): void {
    if (piece.length > SIZE - this.used) {
      if (this.used > 0) {
        this.sealed.push(this.bytes.subarray(0, this.used));
        this.bytes = Buffer.allocUnsafe(SIZE);
        this.used = 0;
      }
      if (piece.length > SIZE) {
        this.sealed.push(Buffer.from(piece));
        return;
      }
    }
    this.bytes.set(piece, this.used);
    this.used += piece.length;
  }

  /** Hash (when given a hash) and write everything pending to `handle`, in order; the buffer is reused after. */
  async flush(handle: FileHandle, hash?: Hash): Promise<void> {
    const pieces = this.used > 0 ? [...this.sealed, this.bytes.subarray(0, this.used)] : this.sealed;
    this.sealed = [];
    if (pieces.length === 0) return;
    let total = 0;
    for (const piece of pieces) {
      hash?.update(piece);
      total += piece.length;
    }
    let written = (await handle.writev(pieces)).bytesWritten;
    // NOTE: writev may write less than asked (a signal, a full disk); write the rest.
    if (written < total) {
      let rest = Buffer.concat(pieces).subarray(written);
      while (rest.length > 0) {
        written = (await handle.write(rest)).bytesWritten;
        if (written === 0) throw new Error("Writing a data module made no progress (is the disk full?).");
        rest = rest.subarray(written);
      }
    }
    this.used = 0;
  }

  /** Forget what is pending (the file is being removed). */
  clear(): void {
    this.sealed = [];
    this.used = 0;
  }
}
