/**
 * The `phylolm` entry (bin/phylolm.js loads the compiled copy): runs the program and turns a
 * CliError into one line on stderr and its exit code, without a stack trace.
 */
import { CommanderError } from 'commander';
import { CliError } from './client';
import { buildProgram } from './program';

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram({ stdout: process.stdout, stderr: process.stderr, env: process.env });
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are exits with code 0; usage errors were already printed by commander
      return error.exitCode;
    }
    if (error instanceof CliError) {
      process.stderr.write(`phylolm: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`phylolm: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
