// The library's public surface: the pipeline stages and their value types.
export * from './model.js';
export * from './errors.js';
export { readRole, roleNameOf, type RoleDocuments } from './role/read-role.js';
export {
  diffDocuments,
  parseEvidence,
  parsePolicyDocument,
  proposalFiles,
  renderJson as renderDiffJson,
  renderMarkdown as renderDiffMarkdown,
  renderText as renderDiffText,
  roleDocumentSet,
  type DiffInput,
  type DiffReport,
  type DocumentSet,
} from './diff/index.js';
