// Webhooks: who can start a build. Anchored actor and ref patterns (the "CodeBreach" bypass), an actor filter
// on pull-request builds, no public build visibility, sources only from allowed GitHub organizations.
import type { AuditInput } from '../model.js';
import { DOCS, prowler } from '../sources.js';
import { pullRequestGroups, sources } from './common.js';
import { layerChecks, type Outcome, type Problem } from './define.js';

const ANCHORED_TYPES = ['ACTOR_ACCOUNT_ID', 'HEAD_REF', 'BASE_REF'];

/** The top-level alternatives of a regular expression (split on "|" outside groups, classes and escapes). */
export function alternatives(pattern: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) {
      out.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  out.push(pattern.slice(start));
  return out;
}

/** True when every alternative starts with ^ and ends with an unescaped $. */
export function isAnchored(pattern: string): boolean {
  return alternatives(pattern).every((alt) => {
    if (!alt.startsWith('^') || !alt.endsWith('$')) return false;
    let backslashes = 0;
    for (let i = alt.length - 2; i >= 0 && alt[i] === '\\'; i--) backslashes++;
    return backslashes % 2 === 0;
  });
}

function anchoredCheck(input: AuditInput): Outcome {
  const groups = input.snapshot.project.webhook?.filterGroups ?? [];
  const problems: Problem[] = [];
  groups.forEach((group, g) =>
    group.forEach((f, i) => {
      if (!f.type || !ANCHORED_TYPES.includes(f.type) || f.pattern === undefined || isAnchored(f.pattern)) return;
      problems.push({
        severity: f.type === 'ACTOR_ACCOUNT_ID' ? 'critical' : 'high',
        key: `${g}.${i}`,
        message: `Filter group ${g} has an unanchored ${f.type} pattern: a value that merely contains an allowed one also matches${f.type === 'ACTOR_ACCOUNT_ID' ? ' (an attacker registers an account whose ID contains a trusted ID)' : ''}.`,
        evidence: [`filterGroups[${g}][${i}] ${f.type}${f.excludeMatchedPattern ? ' (exclude)' : ''}: ${f.pattern}`],
        fix: `Anchor every alternative: ^(${alternatives(f.pattern).map((a) => a.replace(/^\^/, '').replace(/\$$/, '')).join('|')})$`,
      });
    }),
  );
  return { problems, note: groups.length ? undefined : 'the project has no webhook filter groups' };
}

function prActorCheck(input: AuditInput): Outcome {
  const open = pullRequestGroups(input.snapshot.project).filter(({ group }) => !group.some((f) => f.type === 'ACTOR_ACCOUNT_ID' && !f.excludeMatchedPattern));
  if (!open.length) return [];
  const role = input.role;
  const writes = role ? role.writeSample.length > 0 : undefined;
  const roleText =
    writes === undefined
      ? 'the service role was not read, so it may be able to write'
      : writes
        ? `the service role can write (e.g. ${role!.writeSample.join(', ')})`
        : 'the service role can only read';
  return [{
    severity: writes === false ? 'medium' : 'high',
    message: `Anyone who can open a pull request can start a build with the service role; ${roleText}.`,
    evidence: open.map(({ index }) => (index < 0 ? 'webhook without filter groups (builds on every event)' : `filterGroups[${index}] builds pull requests without an ACTOR_ACCOUNT_ID filter`)),
    fix: 'Add an ACTOR_ACCOUNT_ID filter (anchored, ^(id1|id2)$) to each pull-request filter group, or require pull-request comment approval; run untrusted pull requests in a separate project whose role cannot write.',
  }];
}

function publicCheck(input: AuditInput): Outcome {
  if (input.snapshot.project.projectVisibility !== 'PUBLIC_READ') return [];
  return [{
    message: 'Everyone can read the project\'s build results, logs and artifacts, including those of builds run before it was made public.',
    evidence: ['projectVisibility: PUBLIC_READ'],
    fix: 'Set the project visibility to PRIVATE (`aws codebuild update-project-visibility --project-visibility PRIVATE`).',
  }];
}

/** The GitHub organization (owner) of a repository URL, lower case. */
function githubOwner(location: string | undefined): string | undefined {
  const m = /^(?:https?:\/\/|git@)(?:[^@/]*@)?[^/:]+[/:]([^/]+)\//i.exec(location ?? '');
  return m?.[1].toLowerCase();
}

function githubOrgCheck(input: AuditInput): Outcome {
  const allowed = (input.options.allowedGithubOrgs ?? []).map((o) => o.toLowerCase());
  if (!allowed.length) return { skipped: 'no --allowed-github-org given' };
  const problems: Problem[] = [];
  const scope = input.snapshot.project.webhook?.scopeConfiguration;
  const owners: Array<{ owner: string; where: string }> = [];
  for (const s of sources(input.snapshot.project)) {
    if (s.type !== 'GITHUB' && s.type !== 'GITHUB_ENTERPRISE') continue;
    const owner = githubOwner(s.location);
    if (owner) owners.push({ owner, where: `source ${s.sourceIdentifier ?? 'primary'}` });
  }
  if (scope?.scope === 'GITHUB_ORGANIZATION' && scope.name) owners.push({ owner: scope.name.toLowerCase(), where: 'organization webhook' });
  for (const { owner, where } of owners) {
    if (allowed.includes(owner)) continue;
    problems.push({
      key: `${where}:${owner}`,
      message: `The ${where} builds from the GitHub organization ${owner}, which is not in the allow list.`,
      evidence: [`${where}: organization ${owner}`, `allowed: ${allowed.join(', ')}`],
      fix: 'Point the project at a repository of an allowed organization, or add the organization to the allow list if it is trusted.',
    });
  }
  return problems;
}

/** The webhook checks, in report order. */
export const WEBHOOK_CHECKS = layerChecks('webhook', [
  { id: 'HOOK-UNANCHORED-PATTERN', title: 'ACTOR_ACCOUNT_ID, HEAD_REF and BASE_REF webhook patterns are anchored with ^…$', severity: 'high', sources: [DOCS.webhookFilter, DOCS.codebreach, prowler('codebuild_project_webhook_filters_use_anchored_patterns')], run: anchoredCheck },
  { id: 'HOOK-PR-WITHOUT-ACTOR', title: 'Pull-request builds are limited to trusted actors (ACTOR_ACCOUNT_ID)', severity: 'high', sources: [DOCS.webhooks], run: prActorCheck },
  { id: 'HOOK-PUBLIC-BUILDS', title: 'Build results are not public', severity: 'high', sources: [DOCS.publicBuilds, prowler('codebuild_project_is_not_public')], run: publicCheck },
  { id: 'HOOK-GITHUB-ORG', title: 'GitHub sources belong to an allowed organization (--allowed-github-org)', severity: 'high', sources: [prowler('codebuild_project_uses_allowed_github_organizations')], run: githubOrgCheck },
]);
