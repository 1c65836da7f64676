// The diff stage: current documents (a live role or files) against a proposal, per action and resource.
export { diffDocuments, type DiffInput } from './diff.js';
export { computeAllowance, grantCovers, grantText, type Allowance, type DocumentSet, type Grant, type NamedDocument } from './allowance.js';
export { loadActionUniverse, expandActions, type ActionUniverse } from './action-universe.js';
export { proposalFiles, roleDocumentSet, type ProposalFiles } from './documents.js';
export { parseEvidence, type UsageEvidence } from './usage.js';
export { NEVER_LOGGED, neverLoggedReason } from './never-logged.js';
export { resourceCovers } from '../iam/glob.js';
export { renderJson } from './render-json.js';
export { renderMarkdown } from './render-markdown.js';
export { renderText } from './render-text.js';
export type * from './report.js';
