/**
 * The rounds of an adaptive probing job: samples per gene after each round, doubling from the
 * first round's size up to the full plan (4, 8, 16, 32 for the reference N = 32), so each round
 * at most doubles what is paid for and the last one is the full plan itself.
 */
import { PhyloInputError } from '../errors';

export function roundTargets(firstRound: number, samplesPerGene: number): number[] {
  if (!Number.isInteger(samplesPerGene) || samplesPerGene < 1) {
    throw new PhyloInputError(`samplesPerGene must be a positive integer, got ${samplesPerGene}`);
  }
  if (!Number.isInteger(firstRound) || firstRound < 1 || firstRound > samplesPerGene) {
    throw new PhyloInputError(`the first round must be an integer in [1, ${samplesPerGene}], got ${firstRound}`);
  }
  const targets: number[] = [];
  for (let n = firstRound; n < samplesPerGene; n *= 2) targets.push(n);
  targets.push(samplesPerGene);
  return targets;
}
