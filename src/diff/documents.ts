// Turning file contents into checked policy documents, and sorting out which file of a `generate --out`
// directory is what. Reading the files is the caller's job.
import { InputError } from '../errors.js';
import type { PolicyDocument } from '../model.js';
import type { RoleDocuments } from '../role/read-role.js';
import type { DocumentSet } from './allowance.js';

/** Parses and checks one policy document; `where` (a file name) goes into the message. */
export function parsePolicyDocument(text: string, where: string): PolicyDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${where} is not valid JSON (${err instanceof Error ? err.message : String(err)}); pass an IAM policy document`);
  }
  const doc = value as PolicyDocument;
  if (typeof value !== 'object' || value === null || doc.Statement === undefined) {
    throw new InputError(`${where} has no "Statement"; pass an IAM policy document like {"Version":"2012-10-17","Statement":[...]}`);
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  statements.forEach((st, i) => {
    if (st?.Effect !== 'Allow' && st?.Effect !== 'Deny') throw new InputError(`${where}: Statement[${i}] needs "Effect": "Allow" or "Deny"`);
    if (st.Action === undefined && st.NotAction === undefined) throw new InputError(`${where}: Statement[${i}] has neither Action nor NotAction`);
  });
  return { ...doc, Statement: statements };
}

export interface ProposalFiles {
  policies: string[];
  boundary?: string;
  trust?: string;
}

/**
 * Which files of a `generate --out` directory make the proposal: policy.json, policy-2.json, ... (the
 * identity policy, split when it is large), boundary.json and trust.json. Other files are ignored.
 */
export function proposalFiles(names: string[]): ProposalFiles {
  const policyIndex = (n: string): number => (n === 'policy.json' ? 1 : Number(/^policy-(\d+)\.json$/.exec(n)?.[1] ?? NaN));
  const policies = names.filter((n) => Number.isFinite(policyIndex(n))).sort((a, b) => policyIndex(a) - policyIndex(b));
  return {
    policies,
    ...(names.includes('boundary.json') ? { boundary: 'boundary.json' } : {}),
    ...(names.includes('trust.json') ? { trust: 'trust.json' } : {}),
  };
}

/** The live role as a document set: inline policies by name, managed policies by ARN. */
export function roleDocumentSet(role: RoleDocuments): DocumentSet {
  return {
    identity: [
      ...role.inline.map((p) => ({ name: `inline:${p.name}`, document: p.document })),
      ...role.managed.map((p) => ({ name: `${p.arn} (${p.versionId})`, document: p.document })),
    ],
    ...(role.boundary ? { boundary: { name: `boundary:${role.boundary.arn}`, document: role.boundary.document } } : {}),
    trust: role.trust,
  };
}
