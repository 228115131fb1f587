/**
 * `PHYLOLM_DB` chooses the store: a path (or `:memory:`) is SQLite, the default; a
 * `postgres://` or `postgresql://` URL is PostgreSQL. What is logged never shows a password.
 */
import { loadConfig } from '../../src/config';
import { openStore } from '../../src/db/open-store';
import { redactUrl } from '../../src/db/postgres-client';
import { modelInput } from './store-contract';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../helpers/postgres';

describe('PHYLOLM_DB', () => {
  it('is a SQLite file by default and for a path, with no PostgreSQL URL', () => {
    expect(loadConfig({}, '/srv/app')).toMatchObject({ dbPath: '/srv/app/data/phylolm.db', postgresUrl: undefined });
    expect(loadConfig({ PHYLOLM_DB: 'x/y.db' }, '/srv/app')).toMatchObject({ dbPath: '/srv/app/x/y.db' });
    expect(loadConfig({ PHYLOLM_DB: ':memory:' }).postgresUrl).toBeUndefined();
  });

  it.each(['postgres://u:p@db.example:5432/phylolm', 'postgresql://db.example/phylolm?sslmode=require'])(
    'selects PostgreSQL for %s',
    (url) => {
      expect(loadConfig({ PHYLOLM_DB: url }).postgresUrl).toBe(url);
    },
  );

  it('PHYLOLM_PG_POOL_SIZE sets the pool size, 10 by default, and refuses nonsense', () => {
    expect(loadConfig({}).pgPoolSize).toBe(10);
    expect(loadConfig({ PHYLOLM_PG_POOL_SIZE: '32' }).pgPoolSize).toBe(32);
    expect(() => loadConfig({ PHYLOLM_PG_POOL_SIZE: '0' })).toThrow(/PHYLOLM_PG_POOL_SIZE must be an integer/);
  });

  it('a URL shown in logs has its password masked', () => {
    expect(redactUrl('postgres://user:s3cret@db.example:5432/phylolm')).toBe(
      'postgres://user:***@db.example:5432/phylolm',
    );
    expect(redactUrl('postgres://db.example/phylolm')).toBe('postgres://db.example/phylolm');
  });

  it('openStore on a SQLite path gives a working store on SQLite', async () => {
    const opened = await openStore({ dbPath: ':memory:' });
    try {
      expect(opened.database.kind).toBe('sqlite');
      expect(opened.location).toBe(':memory:');
      await opened.store.createModel(modelInput('m'));
      expect(await opened.store.countModels({})).toBe(1);
    } finally {
      await opened.close();
    }
  });
});

describeWithPostgres('openStore on a PostgreSQL URL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('gives a working store on PostgreSQL, with a healthy /healthz and the migrations applied', async () => {
    const opened = await openStore({ dbPath: 'unused.db', postgresUrl: database.url, pgPoolSize: 2 });
    try {
      expect(opened.database.kind).toBe('postgres');
      expect(opened.location).toBe(redactUrl(database.url));
      await opened.store.createModel(modelInput('m'));
      expect(await opened.store.countModels({})).toBe(1);
      expect(await opened.store.health()).toEqual({ ok: true });
    } finally {
      await opened.close();
    }
  });

  it('several processes starting at once apply the migrations once and all start', async () => {
    const fresh = await createTestDatabase();
    try {
      const opened = await Promise.all(
        [1, 2, 3].map(() => openStore({ dbPath: 'unused.db', postgresUrl: fresh.url, pgPoolSize: 1 })),
      );
      for (const o of opened) expect(await o.store.countModels({})).toBe(0);
      await Promise.all(opened.map((o) => o.close()));
    } finally {
      await fresh.drop();
    }
  });
});
