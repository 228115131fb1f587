/**
 * One linear unit with a sigmoid output, y_hat = sigma(w . x + b), trained full-batch on the
 * mean squared error with Adam plus L2 weight decay added to the gradient, exactly as
 * PyTorch's `torch.optim.Adam(params, lr, betas, eps, weight_decay)` (not AdamW):
 *
 *     g_t = grad L(theta_{t-1}) + lambda theta_{t-1}          (L2 on weight AND bias)
 *     m_t = beta1 m_{t-1} + (1 - beta1) g_t
 *     v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
 *     theta_t = theta_{t-1} - lr * (m_t / (1 - beta1^t)) / (sqrt(v_t / (1 - beta2^t)) + eps)
 *
 * with L = (1/n) sum_i (y_hat_i - y_i)^2, so dL/dz_i = (2/n)(y_hat_i - y_i) y_hat_i (1 - y_hat_i).
 * PyTorch's `nn.Linear(m, 1)` initialises weight and bias from U(-1/sqrt(m), 1/sqrt(m)).
 *
 * Complexity: O(epochs * n * m).
 *
 * @see Kingma DP, Ba J. 2015. Adam: a method for stochastic optimization. ICLR 2015 (arXiv 1412.6980).
 */
import { type Random, uniform } from '../random';

// Bound once at load: these run in the innermost loops, where one lookup of `Math` per call adds up.
const { exp, sqrt } = Math;

export interface SigmoidUnit {
  weights: Float64Array;
  bias: number;
}

export interface AdamOptions {
  epochs?: number;
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** PyTorch nn.Linear(m, 1) initialisation: every parameter ~ U(-1/sqrt(m), 1/sqrt(m)). */
export function initSigmoidUnit(m: number, random: Random): SigmoidUnit {
  const bound = 1 / sqrt(m);
  const weights = Float64Array.from({ length: m }, () => uniform(random, -bound, bound));
  return { weights, bias: uniform(random, -bound, bound) };
}

/** sigma(z) = 1 / (1 + e^-z) */
export function sigmoid(z: number): number {
  return 1 / (1 + exp(-z));
}

export function applySigmoidUnit(unit: SigmoidUnit, x: ArrayLike<number>): number {
  let z = unit.bias;
  for (let j = 0; j < unit.weights.length; j++) z += unit.weights[j] * x[j];
  return sigmoid(z);
}

/** Trains a copy of `init` on features x (n x m, row-major) and targets y. */
export function trainSigmoidUnit(
  x: Float64Array,
  y: readonly number[],
  init: SigmoidUnit,
  options: AdamOptions = {},
): SigmoidUnit {
  const { epochs = 1000, learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01 } = options;
  const n = y.length;
  const m = init.weights.length;
  // theta = [w_0..w_{m-1}, b]
  const theta = Float64Array.from([...init.weights, init.bias]);
  const mom = new Float64Array(m + 1);
  const vel = new Float64Array(m + 1);
  const grad = new Float64Array(m + 1);
  for (let t = 1; t <= epochs; t++) {
    meanSquaredErrorGradient(x, y, theta, n, m, grad);
    for (let j = 0; j <= m; j++) {
      // L2 term added to the gradient (torch.optim.Adam weight_decay)
      const g = grad[j] + weightDecay * theta[j];
      mom[j] = beta1 * mom[j] + (1 - beta1) * g;
      vel[j] = beta2 * vel[j] + (1 - beta2) * g * g;
      const mHat = mom[j] / (1 - beta1 ** t);
      const vHat = vel[j] / (1 - beta2 ** t);
      theta[j] -= (learningRate * mHat) / (sqrt(vHat) + eps);
    }
  }
  return { weights: theta.slice(0, m), bias: theta[m] };
}

/** grad of (1/n) sum (sigma(z_i) - y_i)^2 with respect to [w, b], written into `grad`. */
function meanSquaredErrorGradient(
  x: Float64Array,
  y: readonly number[],
  theta: Float64Array,
  n: number,
  m: number,
  grad: Float64Array,
): void {
  grad.fill(0);
  for (let i = 0; i < n; i++) {
    let z = theta[m];
    for (let j = 0; j < m; j++) z += theta[j] * x[i * m + j];
    const yHat = sigmoid(z);
    // dL/dz_i = (2/n)(y_hat - y) y_hat (1 - y_hat)
    const dz = (2 / n) * (yHat - y[i]) * yHat * (1 - yHat);
    for (let j = 0; j < m; j++) grad[j] += dz * x[i * m + j];
    grad[m] += dz;
  }
}
