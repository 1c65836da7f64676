import { CommanderError } from 'commander';
import { CodebuildIamError, type ErrorKind, type OptionName } from '../src/errors.js';
import { CliError, EXIT } from './errors.js';

/**
 * A message as one line of plain text: line breaks and other control characters (a `--name $'a\nb'`, an ANSI
 * escape in a file name) are shown as escapes, so no value can split an error or restyle the terminal.
 */
export function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Writes `codebuild-iam: <message>` as one line on stderr. */
export function printError(message: string): void {
  process.stderr.write(`codebuild-iam: ${oneLine(message)}\n`);
}

/** Writes `codebuild-iam: warning: <message>` as one line on stderr (shown with --quiet too). */
export function printWarning(message: string): void {
  // On a terminal a progress line may be showing: start on a clean line.
  const clear = process.stderr.isTTY ? '\r\x1b[K' : '';
  process.stderr.write(`${clear}codebuild-iam: warning: ${oneLine(message)}\n`);
}

/**
 * Commander's own usage errors ("error: unknown option '--log'\n(Did you mean --logs?)") as one line in our
 * style, or undefined for its non-errors (help, version), which end with exit 0 or print the help.
 */
export function commanderMessage(err: CommanderError): string | undefined {
  if (err.exitCode === 0 || err.code === 'commander.help' || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return undefined;
  const text = err.message
    .replace(/^error:\s*/, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return `${text} (run with --help for usage)`;
}

/** The flag that sets a library option: `athenaTable` -> `--athena-table`. */
export function flagName(option: OptionName): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The exit code for each kind of library error (see the README's exit codes). */
export const EXIT_OF: Record<ErrorKind, number> = {
  'invalid-input': EXIT.usage,
  'not-found': EXIT.usage,
  'too-broad': EXIT.checkFailed,
  'aws-failure': EXIT.runtime,
  failed: EXIT.runtime,
  interrupted: EXIT.runtime,
};

/** A library error as the CLI says it: its options named by their flags. */
export function cliMessage(err: CodebuildIamError): string {
  return err.describe(flagName);
}

/** Prints one line for the user (a stack only with --debug) and returns the exit code to use. */
export function reportError(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    const message = commanderMessage(err);
    if (message === undefined) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    printError(message);
    return EXIT.usage;
  }
  if (err instanceof CliError || err instanceof CodebuildIamError) {
    printError(err instanceof CliError ? err.message : cliMessage(err));
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err instanceof CliError ? err.exitCode : EXIT_OF[err.kind];
  }
  // V8's JSON.parse messages quote the input, which may be a secret: keep only where it failed.
  const message =
    err instanceof SyntaxError && /JSON/.test(err.message)
      ? `invalid JSON${/position \d+/.exec(err.message)?.[0] ? ` at ${/position \d+/.exec(err.message)?.[0]}` : ''}`
      : err instanceof Error
        ? err.message
        : String(err);
  printError(`unexpected failure: ${message} (rerun with --debug for details)`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return EXIT.runtime;
}
