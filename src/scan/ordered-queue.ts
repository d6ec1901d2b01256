/**
 * The hand-off between the reading side and the emitting side of a scan: a FIFO of slots in input
 * order, with a bound on the chunks that were read but not yet emitted. The reader waits for room
 * (backpressure reaches the file or gzip stream); the emitter waits for the head slot only, so results
 * come out in input order whatever order the workers finish in.
 */
export class OrderedQueue<T> {
  private readonly items: T[] = [];
  private head = 0;
  private inFlight = 0;
  private aborted = false;
  private wakeReader: (() => void) | undefined;
  private wakeEmitter: (() => void) | undefined;

  constructor(private readonly capacity: number) {}

  /**
   * Waits until one more chunk may be read, with at most `limit` (at most the capacity) in flight: chunks that
   * cost more memory while they wait ask for a lower one. False once the scan is aborted.
   */
  async reserve(limit = this.capacity): Promise<boolean> {
    const bound = Math.min(limit, this.capacity);
    while (!this.aborted && this.inFlight >= bound) {
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
    if (this.aborted) return false;
    this.inFlight++;
    return true;
  }

  /** Called by the emitter when it is done with a reserved chunk. */
  release(): void {
    this.inFlight--;
    this.wake('reader');
  }

  push(item: T): void {
    this.items.push(item);
    this.wake('emitter');
  }

  async shift(): Promise<T> {
    while (this.head >= this.items.length) {
      await new Promise<void>((resolve) => (this.wakeEmitter = resolve));
    }
    const item = this.items[this.head] as T;
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }

  abort(): void {
    this.aborted = true;
    this.wake('reader');
  }

  get isAborted(): boolean {
    return this.aborted;
  }

  private wake(which: 'reader' | 'emitter'): void {
    const w = which === 'reader' ? this.wakeReader : this.wakeEmitter;
    if (which === 'reader') this.wakeReader = undefined;
    else this.wakeEmitter = undefined;
    w?.();
  }
}
