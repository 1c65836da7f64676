// Which file of a `generate --out` directory is what, and a live role as a document set. Parsing a policy
// document is src/iam/policy-document.ts's job.
import { policyFiles } from '../iam/document-names.js';
import type { RoleDocuments } from '../role/read-role.js';
import type { DocumentSet } from './allowance.js';

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
  return {
    policies: policyFiles(names),
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
