// Public surface of the provider layer (re-exports only).
export * from './provider';
export * from './errors';
export * from './redaction';
export * from './retry';
export * from './rate-limiter';
export * from './registry';
export * from './modules';
export * from './timeout';
export * from './plugin-support';
