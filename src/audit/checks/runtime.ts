// Layer 4, runtime: no privileged mode, a known image pinned by digest and scanned, and a buildspec that a
// pull request cannot rewrite.
import type { AuditInput } from '../model.js';
import { configRule, DOCS, prowler, securityHub } from '../sources.js';
import { projectImage, pullRequestGroups, type ProjectImage } from './common.js';
import { given, layerChecks, type Outcome } from './define.js';

function privilegedCheck(input: AuditInput): Outcome {
  if (!input.snapshot.project.environment?.privilegedMode) return [];
  return [{
    message: 'The build runs in privileged mode: it has root on the build host\'s Docker daemon, which a compromised build step can use to escape the container.',
    evidence: ['environment.privilegedMode: true'],
    fix: 'Turn privileged mode off unless the project builds Docker images; if it does, keep such builds in a separate project that untrusted pull requests cannot trigger.',
  }];
}

const ORIGIN_TEXT = {
  'codebuild-managed': 'a CodeBuild-managed image',
  'own-ecr': 'this account\'s Amazon ECR',
  'other-ecr': 'another account\'s Amazon ECR',
  'public-ecr': 'the public ECR gallery',
  'public-registry': 'a public registry',
} as const;

function imageOriginCheck({ image, origin: o }: ProjectImage): Outcome {
  if (o.origin === 'codebuild-managed' || o.origin === 'own-ecr') return { problems: [], note: `image from ${ORIGIN_TEXT[o.origin]}` };
  return [{
    severity: o.origin === 'other-ecr' ? 'low' : 'medium',
    message: `The build image comes from ${ORIGIN_TEXT[o.origin]} (${o.registry}): whoever controls that repository controls what runs with the service role.`,
    evidence: [`environment.image: ${image}`],
    fix: 'Copy the image into a repository of this account\'s ECR (with scanning on) and build from there, pinned by digest.',
  }];
}

function imageDigestCheck({ image, origin: o }: ProjectImage): Outcome {
  if (o.origin === 'codebuild-managed') return { problems: [], note: 'CodeBuild-managed images are curated by AWS and not pinned' };
  if (o.digest) return [];
  const tag = /:([^/:@]+)$/.exec(image)?.[1] ?? 'latest (no tag)';
  return [{
    message: `The build image is referenced by the tag ${tag}, which can be moved to another image.`,
    evidence: [`environment.image: ${image}`],
    fix: 'Reference the image as repository@sha256:<digest> (and make the ECR repository\'s tags immutable).',
  }];
}

/** ECR repository filters are wildcard patterns ("*" only). */
function filterMatches(filter: string, repo: string): boolean {
  const re = new RegExp(`^${filter.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(repo);
}

function ecrScanCheck({ origin: o }: ProjectImage, input: AuditInput): Outcome {
  if (o.origin !== 'own-ecr') return { skipped: 'the image is not in this account\'s ECR' };
  const ecr = input.snapshot.ecr;
  if (!ecr) return { skipped: 'no ECR descriptions were given (describe-repositories, get-registry-scanning-configuration)' };
  const repo = ecr.repositories.find((r) => r.repositoryName === o.repository);
  if (!repo) return { skipped: `repository ${o.repository} is not among the described repositories` };
  const reg = ecr.registryScanning;
  const ruleCovers = (reg?.rules ?? []).some((r) => (r.repositoryFilters ?? []).some((f) => f.filter !== undefined && filterMatches(f.filter, o.repository)));
  if (reg?.scanType === 'ENHANCED' && ruleCovers) return { problems: [], note: 'enhanced scanning' };
  if (repo.imageScanningConfiguration?.scanOnPush || ruleCovers) return { problems: [], note: 'basic scanning on push' };
  return [{
    resource: repo.repositoryArn ?? o.repository,
    message: `ECR does not scan ${o.repository}, the build image's repository.`,
    evidence: [`repository ${o.repository}: imageScanningConfiguration.scanOnPush is not true`, `registry scanning: ${reg?.scanType ?? 'not described'}, no rule matches the repository`],
    fix: 'Turn on enhanced scanning for the repository (Amazon Inspector), or at least basic scan on push.',
  }];
}

/** True when the buildspec is kept out of the source: inline YAML or an S3 object. */
function buildspecOutsideSource(buildspec: string | undefined): boolean {
  if (!buildspec) return false;
  if (/^arn:[\w-]+:s3:::/.test(buildspec) || /^s3:\/\//.test(buildspec)) return true;
  return /\n/.test(buildspec) || /^\s*version\s*:/.test(buildspec);
}

function buildspecCheck(input: AuditInput): Outcome {
  const p = input.snapshot.project;
  const prs = pullRequestGroups(p);
  if (!prs.length) return { problems: [], note: p.webhook ? 'the webhook does not build pull requests' : 'the project has no webhook' };
  const spec = p.source?.buildspec;
  if (buildspecOutsideSource(spec)) return [];
  return [{
    message: 'A pull request can change the commands the build runs: the buildspec comes from the repository and pull requests trigger builds.',
    evidence: [`source.buildspec: ${spec ? `the file ${spec}` : 'not set (buildspec.yml in the source)'}`, `pull-request filter group(s): ${prs.map((g) => (g.index < 0 ? 'webhook without filter groups' : g.index)).join(', ')}`],
    fix: 'Keep the buildspec inline in the project or in an S3 object only the project owner can change; or add a FILE_PATH filter with excludeMatchedPattern for the buildspec.',
  }];
}

/** The runtime checks, in report order. */
export const RUNTIME_CHECKS = layerChecks('runtime', [
  { id: 'RUN-PRIVILEGED', title: 'Privileged mode is off', severity: 'high', sources: [DOCS.privileged, securityHub('CodeBuild.5'), configRule('codebuild-project-environment-privileged-check')], run: privilegedCheck },
  { id: 'RUN-IMAGE-ORIGIN', title: 'The build image comes from CodeBuild or the account\'s own ECR', severity: 'medium', sources: [DOCS.images], run: given(projectImage, imageOriginCheck) },
  { id: 'RUN-IMAGE-DIGEST', title: 'A custom build image is pinned by digest, not a mutable tag', severity: 'medium', sources: [DOCS.images], run: given(projectImage, imageDigestCheck) },
  { id: 'RUN-ECR-SCANNING', title: 'The image\'s ECR repository is scanned (basic scan on push or enhanced scanning)', severity: 'medium', sources: [DOCS.ecrScanning], run: given(projectImage, ecrScanCheck) },
  { id: 'RUN-BUILDSPEC-FROM-SOURCE', title: 'Builds that pull requests can trigger do not take their buildspec from the source', severity: 'high', sources: [DOCS.webhooks, prowler('codebuild_project_user_controlled_buildspec')], run: buildspecCheck },
]);
