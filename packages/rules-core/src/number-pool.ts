/**
 * Backing store for the numbers of one enterprise's slots and points. V8 keeps a non-integer
 * number in an object field as a separate 16-byte heap number behind an 8-byte pointer (double
 * fields are not unboxed), so a slot's eight times and values cost ~190 bytes as fields; here
 * they are 64 bytes in a Float64Array chunk shared by many slots. Chunks grow geometrically
 * (64 … 512 doubles) so a small enterprise does not pay for a large one. Space is never handed
 * back: a slot dropped by a registry change leaves its eight numbers unused until the state is
 * rebuilt (restore), which bounds the waste by the number of rule changes.
 */
export class NumberPool {
  /** The chunk `reserve` last handed out from. */
  chunk: Float64Array;
  private used = 0;

  constructor(
    private size = 64,
    private readonly maxSize = 512,
  ) {
    this.chunk = new Float64Array(0);
  }

  /** Reserves `count` doubles in `this.chunk` (read it right after) and returns their offset. */
  reserve(count: number): number {
    if (this.used + count > this.chunk.length) {
      this.chunk = new Float64Array(Math.max(count, this.size));
      this.size = Math.min(this.size * 2, this.maxSize);
      this.used = 0;
    }
    const at = this.used;
    this.used += count;
    return at;
  }
}
