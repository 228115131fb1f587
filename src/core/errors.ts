/**
 * Error type for invalid input to the pure numerical core.
 *
 * The message always names the rule that was broken (for example
 * "a tree needs at least 3 taxa, got 2"), so callers can surface it to users as-is.
 */
export class PhyloInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhyloInputError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
