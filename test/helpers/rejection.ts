/** The error a promise rejects with; fails the test if it resolves instead. */
export function rejectionOf<E = Error>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: E) => error,
  );
}
