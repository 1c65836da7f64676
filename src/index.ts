// The library's public surface: the pipeline stages and their value types.
export * from './model.js';
export * from './errors.js';
// Sources -> translation -> synthesis -> verification -> rendering.
export { filesSource, readFiles, type FilesOptions, type FilesQuery, type FilesResult } from './sources/files/read-files.js';
export { parseRoleSpec, issuerMatches, type RoleSpec } from './sources/role-match.js';
export { assertRoleSeen, type RoleSearch } from './sources/role-not-seen.js';
export { parseWindow, parseTime, type Window } from './sources/time-window.js';
export type { RecordStream, Source, SourceKind, SourceQuery, SourceResult } from './sources/source.js';
export { translate, normalizeEventName } from './translation/translate.js';
export { servicePrefix } from './translation/service-prefix.js';
export { aggregateRecords } from './translation/collect.js';
export { newAggregate, addTranslation, mergeAggregates, toEvidence, type AggregateState } from './translation/aggregate.js';
export { synthesize, type Synthesis, type SynthesisOptions } from './synthesis/synthesize.js';
export { buildBoundary, type BoundaryInput } from './synthesis/boundary.js';
export { buildTrust, type TrustInput } from './synthesis/trust.js';
export { inferFromProjects } from './project/infer.js';
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
export { lookupSource, type LookupClients, type LookupScope } from './sources/lookup/scoped-source.js';
export { parseProjectsFile } from './project/projects-file.js';
export { scopeBuilds, type Scope, type ScopeRequest } from './project/scope.js';
export { selfPolicy, SELF_ACTIONS, type SelfPolicyOptions, type SelfPolicySource } from './self-policy/self-policy.js';
export { policyToTerraform, policyDocumentBlock, type TerraformOptions } from './rendering/terraform.js';
export {
  parseTemplate as parseCloudFormationTemplate,
  policyToCloudFormation,
  policyToCloudFormationTemplate,
  type CloudFormationFormat,
} from './rendering/cloudformation.js';
export { renderTerraformBundle } from './rendering/terraform-bundle.js';
export { cloudFormationBundleTemplate, renderCloudFormationBundle } from './rendering/cloudformation-bundle.js';
export { type BundleOptions, type PolicyAttachment, type RoleBundle } from './rendering/bundle.js';
export { exportFiles as exportBundleFiles, type ExportFile, type ExportFormat } from './rendering/export-files.js';
export {
  parsePolicyDocument,
  parsePolicyDocument as parseExportInput,
  toPolicyDocument,
  PolicyDocumentError,
  type PolicyKind,
} from './iam/policy-document.js';
export * as audit from './audit/index.js';
