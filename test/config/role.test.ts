/** PHYLOLM_ROLE and the worker settings (src/config.ts): defaults, and a clear refusal of bad values. */
import { loadConfig } from '../../src/config';

it('runs everything in one process unless told otherwise', () => {
  const config = loadConfig({});
  expect(config.role).toBe('all');
  expect(config.workerJobs).toBe(4);
  expect(config.workerConcurrency).toBeUndefined();
});

it('reads the role and the worker settings', () => {
  expect(loadConfig({ PHYLOLM_ROLE: 'api' }).role).toBe('api');
  const worker = loadConfig({ PHYLOLM_ROLE: 'worker', PHYLOLM_WORKER_JOBS: '8', PHYLOLM_WORKER_CONCURRENCY: '3' });
  expect(worker).toMatchObject({ role: 'worker', workerJobs: 8, workerConcurrency: 3 });
});

it('refuses an unknown role or a bad number, naming the variable', () => {
  expect(() => loadConfig({ PHYLOLM_ROLE: 'workers' })).toThrow(
    'PHYLOLM_ROLE must be one of all, api, worker; got "workers"',
  );
  expect(() => loadConfig({ PHYLOLM_WORKER_JOBS: '0' })).toThrow('PHYLOLM_WORKER_JOBS');
  expect(() => loadConfig({ PHYLOLM_WORKER_CONCURRENCY: 'many' })).toThrow('PHYLOLM_WORKER_CONCURRENCY');
});
