/** Entry point of `npm start`: configuration from the environment, then serve until a signal. */
import 'reflect-metadata';
import { startApp } from './app';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const app = await startApp(loadConfig());
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.log('info', 'stopping', { signal });
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`phylolm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
