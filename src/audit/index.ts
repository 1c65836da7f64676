// The audit stage: checks of a CodeBuild project's layers of defense, from a snapshot (files or live).
export { CHECKS } from './catalog.js';
export { runAudit } from './run.js';
export { loadSnapshot, type NamedJson } from './load-offline.js';
export { collectSnapshot, type AuditClients } from './collect-live.js';
export { auditSelfPolicy } from './self-policy.js';
export { renderAuditJson } from './render/json.js';
export { renderAuditMarkdown } from './render/markdown.js';
export { renderSarif, type SarifOptions } from './render/sarif.js';
export type * from './model.js';
