import { evaluationCalibration } from '../../src/services/prediction.service';

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
