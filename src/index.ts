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
export { openLookup, DATA_EVENTS_WARNING, type LookupOptions } from './sources/lookup/lookup-source.js';
export { parseProjectsFile } from './sources/codebuild/projects-file.js';
export { scopeBuilds, type Scope, type ScopeRequest } from './sources/codebuild/scope.js';
export { selfPolicy, SELF_ACTIONS, type SelfPolicyOptions, type SelfPolicySource } from './synthesis/self-policy.js';
export { policyToTerraform, policyDocumentBlock, type TerraformOptions } from './rendering/terraform.js';
export {
  parseTemplate as parseCloudFormationTemplate,
  policyToCloudFormation,
  policyToCloudFormationTemplate,
  type CloudFormationFormat,
} from './rendering/cloudformation.js';
export { renderTerraformBundle } from './rendering/terraform-bundle.js';
export { cloudFormationBundleTemplate, renderCloudFormationBundle } from './rendering/cloudformation-bundle.js';
export {
  exportFiles as exportBundleFiles,
  type BundleOptions,
  type ExportFile,
  type ExportFormat,
  type PolicyAttachment,
  type RoleBundle,
} from './rendering/bundle.js';
export { parsePolicyDocument as parseExportInput, toPolicyDocument } from './rendering/terraform-input.js';
