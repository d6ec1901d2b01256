/** A growable Uint32Array, reused across chunks so framing allocates only the arrays it returns. */
export class U32Builder {
  buffer: Uint32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Uint32Array(Math.max(16, initialCapacity));
  }

  /** Makes room for `extra` more values; returns the (possibly new) buffer. */
  reserve(extra: number): Uint32Array {
    const need = this.length + extra;
    if (need > this.buffer.length) {
      let capacity = this.buffer.length * 2;
      while (capacity < need) capacity *= 2;
      const grown = new Uint32Array(capacity);
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    return this.buffer;
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** An exact-length copy, so the result owns its memory and can be transferred. */
  take(): Uint32Array {
    return this.buffer.slice(0, this.length);
  }
}
