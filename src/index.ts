// The library's public surface: the pipeline stages and their value types.
export * from './model.js';
export * from './errors.js';
// Sources -> translation -> synthesis -> verification -> rendering.
export { readFiles, type FilesQuery, type FilesResult } from './sources/files/read-files.js';
export { parseRoleSpec, issuerMatches, type RoleSpec } from './sources/role-match.js';
export { assertRoleSeen, type RoleSearch } from './sources/role-not-seen.js';
export { parseWindow, parseTime, type Window } from './sources/time-window.js';
export type { SourceOutput, SourceQuery } from './sources/source.js';
export { translate, normalizeEventName } from './translation/translate.js';
export { servicePrefix } from './translation/service-prefix.js';
export { aggregateRecords, evidenceFrom } from './translation/collect.js';
export { newAggregate, addTranslation, mergeAggregates, toEvidence, type AggregateState } from './translation/aggregate.js';
export { synthesize, type Synthesis, type SynthesisOptions } from './synthesis/synthesize.js';
export { buildBoundary, type BoundaryInput } from './synthesis/boundary.js';
export { buildTrust, type TrustInput } from './synthesis/trust.js';
export { inferFromProjects } from './synthesis/infer.js';
export { checkSafety, type SafetyProblem } from './synthesis/safety.js';
export { refuseBroad } from './synthesis/refuse-broad.js';
export { runPipeline, type PipelineOptions, type PipelineResult } from './pipeline.js';
export { evaluate, explainDecision, normalizeStatements, type Decision, type PolicySet, type Verdict } from './verification/evaluator/index.js';
export { replay, type ReplayReport, type DeniedRequest } from './verification/replay.js';
export { readRole, roleNameOf, type RoleDocuments } from './role/read-role.js';
export {
  diffDocuments,
  parseEvidence,
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
export {
  parsePolicyDocument,
  parsePolicyDocument as parseExportInput,
  toPolicyDocument,
  PolicyDocumentError,
  type PolicyKind,
} from './iam/policy-document.js';
export * as audit from './audit/index.js';
