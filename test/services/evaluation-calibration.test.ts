import { alleleLengthsOf, costOf, evaluationCalibration } from '../../src/services/prediction.service';

describe('evaluationCalibration', () => {
  it.each([
    [16, 58, 'nested'], // MisguidedAttention: 256 fits of 58 models
    [5, 25, 'nested'], // the simulated zoo
    [20, 100, 'cross'], // 400 fits of 100 models would take seconds
    [20, 1000, 'cross'],
  ])('%i families of %i models -> %s', (families, models, expected) => {
    expect(evaluationCalibration(families, models)).toBe(expected);
  });
});

describe('evaluationCalibration by the method', () => {
  it('a fit that costs five ensembles (tuned: one selection per allele length) nests five times fewer', () => {
    expect(costOf('ensemble')).toBe(1);
    expect(costOf('multiscale')).toBe(1);
    expect(costOf('tuned')).toBe(5);
    expect(evaluationCalibration(16, 58, costOf('multiscale'))).toBe('nested');
    expect(evaluationCalibration(16, 58, costOf('tuned'))).toBe('cross');
    expect(evaluationCalibration(5, 25, costOf('tuned'))).toBe('nested');
  });

  it('the other allele lengths each method reads (the default when none is named)', () => {
    expect(alleleLengthsOf('ensemble')).toEqual([]);
    expect(alleleLengthsOf('tuned')).toEqual([6, 8, 12, 16]);
    expect(alleleLengthsOf(null)).toEqual(alleleLengthsOf('multiscale'));
    expect(alleleLengthsOf('no-such-method')).toEqual([]);
  });
});
