// Reads a policy document a user names on the command line, with one clear error when it is not one.
import { readFileSync } from 'node:fs';
import { InputError } from '../../src/errors.js';
import type { PolicyDocument } from '../../src/model.js';
import { normalizeStatements } from '../../src/verification/evaluator/index.js';

export function readPolicyFile(path: string, flag: string, kind: 'identity' | 'resource' = 'identity'): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`${flag} ${path} is not a readable JSON policy (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== 'object' || !('Statement' in doc)) throw new InputError(`${flag} ${path} is not an IAM policy document (no Statement)`);
  const d = doc as PolicyDocument;
  if (!Array.isArray(d.Statement)) d.Statement = [d.Statement as never];
  normalizeStatements(d, { where: path, kind });
  return d;
}
