// The library's errors: a small closed set that says what went wrong, with what a caller needs as fields (the
// file and record, the option concerned, the AWS operation). They carry no exit codes and name no command-line
// flags: a message names one of the caller's options through an `OptionRef`, which the library shows as the
// option's own name (`role`) and the CLI as its flag (`--role`, cli/report-error.ts).

/** The caller's options a message can name (the fields of the library's option objects, as concepts). */
export const OPTION_NAMES = [
  'account',
  'allowBroad',
  'athenaOutput',
  'athenaTable',
  'athenaWorkgroup',
  'bucket',
  'build',
  'database',
  'eventDataStore',
  'for',
  'injectAccount',
  'lastBuilds',
  'logs',
  'orgId',
  'out',
  'partition',
  'prefix',
  'profile',
  'project',
  'region',
  'role',
  'since',
  'source',
  'strict',
  'table',
  'trailBucket',
  'until',
] as const;
export type OptionName = (typeof OPTION_NAMES)[number];

export interface OptionRef {
  readonly option: OptionName;
}
/** A message: text, with the options it names kept apart so each caller can show them its own way. */
export type MessagePart = string | OptionRef;

/** An option named in a message (use inside `say`). */
export const opt = (option: OptionName): OptionRef => ({ option });

const isRef = (v: unknown): v is OptionRef => typeof v === 'object' && v !== null && 'option' in v;

/**
 * A message as a tagged template: `` say`${opt('role')} ${value} is not a role ARN` ``. An interpolated
 * OptionRef stays an option, an interpolated list of parts (another `say`) is spliced in, anything else is text.
 */
export function say(strings: TemplateStringsArray, ...values: unknown[]): MessagePart[] {
  const parts: MessagePart[] = [strings[0] ?? ''];
  values.forEach((v, i) => {
    if (Array.isArray(v) && v.every((p) => typeof p === 'string' || isRef(p))) parts.push(...(v as MessagePart[]));
    else parts.push(isRef(v) ? v : String(v));
    parts.push(strings[i + 1] ?? '');
  });
  return parts.filter((p) => p !== '');
}

/** How the library itself names an option in a message: by its name (`athenaTable`). */
export const optionName = (option: OptionName): string => option;

export function renderMessage(parts: readonly MessagePart[], name: (option: OptionName) => string = optionName): string {
  return parts.map((p) => (typeof p === 'string' ? p : name(p.option))).join('');
}

/** Where the error was found and what it concerns; every field is optional, none holds input content. */
export interface ErrorFields {
  /** The input file (as the caller named it). */
  file?: string;
  /** The record's 0-based index in `file`, when one record was at fault. */
  record?: number;
  /** Where inside the input, as text (`policy.json Statement[2].Action`, `s3://bucket/key`). */
  where?: string;
  /** The caller's option the error is about. */
  option?: OptionName;
  /** The value the caller gave for `option` (an option value, never file content). */
  value?: string;
  /** What was looked for and not found (`role`, `project`, `build`, `trail files` ...). */
  missing?: string;
  /** The AWS operation, as `service:Action` (`iam:GetRole`), and its error code. */
  operation?: string;
  code?: string;
  /** The statements refused as broader than the evidence (Sid and why). */
  problems?: readonly { sid?: string; problem: string }[];
}

export type ErrorKind = 'invalid-input' | 'not-found' | 'too-broad' | 'aws-failure' | 'failed' | 'interrupted';

/** Every error the library throws on purpose. `kind` says which of the closed set it is. */
export abstract class CodebuildIamError extends Error {
  abstract readonly kind: ErrorKind;
  readonly parts: readonly MessagePart[];
  readonly fields: Readonly<ErrorFields>;

  constructor(message: string | readonly MessagePart[], fields: ErrorFields = {}) {
    const parts = typeof message === 'string' ? [message] : [...message];
    super(renderMessage(parts));
    this.name = new.target.name;
    this.parts = parts;
    this.fields = fields;
  }

  /** The options the message names. */
  get options(): OptionName[] {
    return this.parts.flatMap((p) => (typeof p === 'string' ? [] : [p.option]));
  }

  /** The message with each option named by `name` (the CLI passes its flag names). */
  describe(name: (option: OptionName) => string): string {
    return renderMessage(this.parts, name);
  }

  /** A plain value that survives postMessage (a reader worker's error reaching the main thread). */
  toSerialized(): SerializedError {
    return { kind: this.kind, parts: [...this.parts], fields: this.fields };
  }
}

/** The base of the error class for one kind. */
function ofKind<K extends ErrorKind>(kind: K) {
  return class extends CodebuildIamError {
    readonly kind: K = kind;
  };
}

/** An input the caller gave is wrong: an option value, a file, a record, a policy document. */
export class InvalidInput extends ofKind('invalid-input') {}
/** Something the caller named does not exist, or nothing matched (the role in the trail, a project, a file). */
export class NotFound extends ofKind('not-found') {}
/** Refused: the policy would be broader than the evidence (`fields.problems` says where and why). */
export class TooBroad extends ofKind('too-broad') {}
/** A call to AWS failed (denied, bad credentials, throttled, or AWS answered something unusable). */
export class AwsFailure extends ofKind('aws-failure') {}
/** The work could not be finished for another reason: a file could not be written, a worker died. */
export class OperationFailed extends ofKind('failed') {}
/** The caller aborted (its AbortSignal fired). */
export class Interrupted extends ofKind('interrupted') {}

export type LibraryError = InvalidInput | NotFound | TooBroad | AwsFailure | OperationFailed | Interrupted;

export interface SerializedError {
  kind: ErrorKind;
  parts: MessagePart[];
  fields: ErrorFields;
}

const CLASSES = {
  'invalid-input': InvalidInput,
  'not-found': NotFound,
  'too-broad': TooBroad,
  'aws-failure': AwsFailure,
  failed: OperationFailed,
  interrupted: Interrupted,
} satisfies Record<ErrorKind, new (m: readonly MessagePart[], f: ErrorFields) => CodebuildIamError>;

/** The error again from `toSerialized()`. */
export function fromSerialized(e: SerializedError): LibraryError {
  return new CLASSES[e.kind](e.parts, e.fields) as LibraryError;
}

/** Anything thrown, as a library error: its own errors as they are, anything else as OperationFailed. */
export function asSerialized(e: unknown): SerializedError {
  if (e instanceof CodebuildIamError) return e.toSerialized();
  return { kind: 'failed', parts: [e instanceof Error ? e.message : String(e)], fields: {} };
}

/** The fields of an error about `value`, named in the message by `name`: with the option when `name` is one. */
export const valueFields = (name: MessagePart, value: string): ErrorFields => (typeof name === 'string' ? { value } : { option: name.option, value });
