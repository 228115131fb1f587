/**
 * The PhyloLM paper's benchmark predictor ("reference"): features are a model's row of the
 * Nei distance matrix restricted to the training models; FastICA (15 components) is fitted on
 * the training block (train x train); one linear unit with a sigmoid output is trained on the
 * ICA sources, full-batch MSE, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8, L2 weight decay 0.01
 * added to the gradient as torch.optim.Adam does), 1,000 epochs, PyTorch nn.Linear init.
 *
 * Documented choices where the paper is silent or cannot apply:
 * - Components: min(15, numerical rank of the centred training block) - at most n - 1,
 *   because centring an n x n block removes one rank (see fast-ica.ts).
 * - Whitening: sklearn 1.2's default whiten='warn', which behaves as 'arbitrary-variance'
 *   (sources have variance 1/n, not 1). This is why predictions shrink toward the middle.
 * - Randomness: FastICA's w_init ~ N(0, 1) and the unit's init come from one seeded PRNG.
 *
 * Complexity: O(n^3) per fit (Jacobi eigen-decomposition of the n x n Gram matrix) plus
 * O(1000 n c) for training; O(n c) per prediction.
 *
 * @see Yax, Oudeyer, Palminteri. PhyloLM. arXiv 2404.04671 (ICLR 2025).
 * @see Hyvärinen A, Oja E. 2000. Neural Networks 13:411-430 (FastICA).
 * @see Kingma DP, Ba J. 2015. ICLR (Adam).
 */
import { fastIca, icaTransform, type FastIcaModel } from './fast-ica';
import { createRandom } from '../random';
import {
  type AdamOptions,
  applySigmoidUnit,
  initSigmoidUnit,
  type SigmoidUnit,
  trainSigmoidUnit,
} from './sigmoid-unit';
import {
  type FitOptions,
  type FittedPredictor,
  type Predictor,
  type TrainingSet,
  validateQuery,
  validateTrainingSet,
} from './types';

export interface ReferenceOptions extends AdamOptions {
  /** FastICA components (default 15). */
  nComponents?: number;
  /** Pins FastICA's initial unmixing matrix (c x c row-major), as sklearn's w_init. */
  wInit?: ArrayLike<number>;
  /** Pins the sigmoid unit's initial parameters. */
  init?: SigmoidUnit;
  icaMaxIter?: number;
  icaTol?: number;
}

/** A fitted reference model; exposes its ICA and unit for inspection and fixtures. */
export interface FittedReference extends FittedPredictor {
  ica: FastIcaModel;
  unit: SigmoidUnit;
}

export interface ReferencePredictor extends Predictor {
  fit(train: TrainingSet, options?: FitOptions): FittedReference;
}

export function createReferencePredictor(options: ReferenceOptions = {}): ReferencePredictor {
  return {
    name: 'reference',
    fit(train: TrainingSet, fit: FitOptions = {}): FittedReference {
      const n = validateTrainingSet(train);
      const random = createRandom(fit.seed ?? 0);
      const ica = fastIca(train.distances, n, n, {
        nComponents: options.nComponents ?? 15,
        wInit: options.wInit,
        random,
        maxIter: options.icaMaxIter,
        tol: options.icaTol,
      });
      const init = options.init ?? initSigmoidUnit(ica.nComponents, random);
      const unit = trainSigmoidUnit(ica.sources, train.scores, init, options);
      return {
        ica,
        unit,
        predict(d: readonly number[]): number {
          validateQuery(d, n);
          return applySigmoidUnit(unit, icaTransform(ica, d));
        },
      };
    },
  };
}
