/**
 * Arithmetic of paced wrk runs (post-body-paced.lua): the gap between two requests of one wrk
 * thread for a target rate, and the rate a run at a fraction of a measured load aims at.
 */

/** Milliseconds between two requests of one thread, all its connections sharing the schedule. */
export function pacedIntervalMs(targetRate: number, threads: number): number {
  if (!(targetRate > 0) || !Number.isFinite(targetRate))
    throw new Error(`a paced run needs a rate > 0, not ${targetRate}`);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`a paced run needs 1 or more threads, not ${threads}`);
  return (1000 * threads) / targetRate;
}

/** The rate for `fraction` of a measured saturating rate (e.g. 0.5 for half load), in req/s. */
export function fractionOfRate(measuredRate: number, fraction: number): number {
  if (!(measuredRate > 0) || !Number.isFinite(measuredRate))
    throw new Error(`no saturating rate to take a fraction of (${measuredRate} req/s)`);
  return measuredRate * fraction;
}
