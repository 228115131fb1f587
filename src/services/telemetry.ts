/**
 * What the services report for /metrics, without knowing how it is kept: the HTTP layer
 * implements this with prom-client (src/server/metrics.ts); services may not import packages
 * (docs/architecture.md), and tests or scripts pass nothing (`noTelemetry`).
 */
export interface Telemetry {
  /** a heavy computation finished (`kind`: matrix, tree, bootstrap, prediction, evaluation, ...) */
  computation(kind: string, seconds: number): void;
  /** a provider request ended, after its retries (`outcome`: ok or error) */
  providerRequest(provider: string, outcome: 'ok' | 'error'): void;
  /** a provider request is tried again */
  providerRetry(provider: string): void;
  /** tokens a provider reported for one request */
  providerTokens(provider: string, promptTokens: number, completionTokens: number): void;
}

export const noTelemetry: Telemetry = {
  computation: () => undefined,
  providerRequest: () => undefined,
  providerRetry: () => undefined,
  providerTokens: () => undefined,
};
