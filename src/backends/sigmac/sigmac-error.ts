/**
 * A Python exception sigmac would raise. Thrown inside the emulation (whose control flow mirrors
 * sigmac's, where the first exception aborts the rule) and caught once in `convertSigmac`, which turns it
 * into a diagnostic. `offset` points into the rule file when the offending YAML element is known.
 */
export class SigmacError extends Error {
  constructor(
    readonly pyClass: string,
    readonly pyMessage: string,
    readonly offset?: number,
  ) {
    super(`${pyClass}: ${pyMessage}`);
  }

  /** Same exception with a source offset, unless one is already known (the innermost one wins). */
  at(offset: number | undefined): SigmacError {
    return this.offset !== undefined || offset === undefined ? this : new SigmacError(this.pyClass, this.pyMessage, offset);
  }
}

export const parseError = (message: string, offset?: number) => new SigmacError('SigmaParseError', message, offset);
export const typeError = (message: string, offset?: number) => new SigmacError('TypeError', message, offset);
export const notImplemented = (message: string, offset?: number) => new SigmacError('NotImplementedError', message, offset);
