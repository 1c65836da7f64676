// The CLI's own errors, which carry the exit code to end with. The library (src/) throws its own error types
// instead (src/errors.ts); report-error.ts gives those their exit codes and flag names.

export const EXIT = { ok: 0, checkFailed: 1, usage: 2, runtime: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, bad input files, nothing matched: the user can fix it. Exit 2. */
export class InputError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** AWS (or another runtime dependency) failed. Exit 3. */
export class RuntimeFailure extends CliError {
  constructor(message: string) {
    super(message, EXIT.runtime);
  }
}

/** A check (verify, diff --fail-on-widen) found a problem. Exit 1. */
export class CheckFailed extends CliError {
  constructor(message: string) {
    super(message, EXIT.checkFailed);
  }
}
