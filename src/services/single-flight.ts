/**
 * Single flight: concurrent calls with the same key share one computation. Keys are the
 * computation-cache keys the services already derive from every input, so two requests share a
 * flight exactly when they would share a cached result. A flight lives until its computation
 * settles, whether or not anyone still waits for it: a request that went away does not cancel
 * it, its result lands in the cache, and the request asked again finds it there instead of
 * starting the computation a second time.
 */
export class SingleFlight {
  private readonly flights = new Map<string, Promise<unknown>>();

  run<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key);
    if (running) return running as Promise<T>;
    const flight = compute().finally(() => this.flights.delete(key));
    this.flights.set(key, flight);
    return flight;
  }
}
