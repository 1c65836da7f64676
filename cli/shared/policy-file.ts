// Reads a policy document a user names on the command line, with one clear error when it is not one.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { parsePolicyDocument, type PolicyKind } from '../../src/iam/policy-document.js';
import type { PolicyDocument } from '../../src/model.js';

export function readPolicyFile(path: string, flag: string, kind: PolicyKind = 'identity'): PolicyDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${flag} ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
  return parsePolicyDocument(text, `${flag} ${path}`, kind);
}
