/**
 * Structured logs: one JSON object per line on stderr. Callers pass facts, never secrets; error
 * objects are reduced to name, message and stack.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function plain(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export function createLogger(
  minimum: LogLevel | 'silent' = 'info',
  write: (line: string) => unknown = (line) => process.stderr.write(line),
): Logger {
  return {
    log(level, message, fields = {}) {
      if (minimum === 'silent' || ORDER[level] < ORDER[minimum]) return;
      const entries = Object.entries(fields).map(([k, v]) => [k, plain(v)]);
      write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...Object.fromEntries(entries) })}\n`);
    },
  };
}

export const silentLogger: Logger = { log: () => undefined };
