import { CliError, EXIT } from '../src/errors.js';

/** Prints one line for the user (a stack only with --debug) and returns the exit code to use. */
export function reportError(err: unknown, debug: boolean): number {
  if (err instanceof CliError) {
    process.stderr.write(`codebuild-iam: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`codebuild-iam: unexpected failure: ${message} (rerun with --debug for details)\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return EXIT.runtime;
}
