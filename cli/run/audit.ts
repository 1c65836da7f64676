// `audit`: builds the project snapshot (from files, or live with clients made here), runs the checks and
// writes the report; --fail-on turns findings into exit code 1.
import { readFile, writeFile } from 'node:fs/promises';
import type { AuditFlags } from '../shared/flags.js';
import { loadSnapshot, type NamedJson } from '../../src/audit/load-offline.js';
import { atLeast, type ProjectSnapshot } from '../../src/audit/model.js';
import { renderAuditJson } from '../../src/audit/render/json.js';
import { renderAuditMarkdown } from '../../src/audit/render/markdown.js';
import { renderSarif } from '../../src/audit/render/sarif.js';
import { runAudit } from '../../src/audit/run.js';
import { CheckFailed, InputError } from '../errors.js';
import { parseEvidence } from '../../src/diff/usage.js';

async function readJson(path: string, what: string): Promise<NamedJson> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
  try {
    return { name: path, value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch {
    throw new InputError(`${what} ${path} is not JSON`);
  }
}

async function liveSnapshot(flags: AuditFlags): Promise<ProjectSnapshot> {
  const [{ CodeBuildClient }, { EC2Client }, { IAMClient }, { CloudTrailClient }, { ECRClient }, { CloudWatchClient }, { collectSnapshot }, { awsClients }] = await Promise.all([
    import('@aws-sdk/client-codebuild'),
    import('@aws-sdk/client-ec2'),
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-cloudtrail'),
    import('@aws-sdk/client-ecr'),
    import('@aws-sdk/client-cloudwatch'),
    import('../../src/audit/collect-live.js'),
    import('../aws-clients.js'),
  ]);
  const aws = await awsClients({ profile: flags.profile, region: flags.region });
  const region = await aws.region();
  const clients = {
    codebuild: aws.make(CodeBuildClient, region),
    ec2: aws.make(EC2Client, region),
    iam: aws.make(IAMClient, region),
    cloudtrail: aws.make(CloudTrailClient, region),
    ecr: aws.make(ECRClient, region),
    cloudwatch: aws.make(CloudWatchClient, region),
  };
  return collectSnapshot(clients, flags.project!).finally(() => aws.destroy());
}

export async function runAuditCommand(flags: AuditFlags): Promise<void> {
  if (!flags.project && !flags.projectFile) throw new InputError('audit needs --project <name> (live) or --project-file <file> (offline)');
  if (flags.describe?.length && !flags.projectFile) throw new InputError('--describe goes with --project-file; live, audit reads what it needs itself');
  const snapshot = flags.projectFile
    ? loadSnapshot(await readJson(flags.projectFile, 'the project file'), await Promise.all((flags.describe ?? []).map((f) => readJson(f, 'the describe file'))), flags.project)
    : await liveSnapshot(flags);
  const evidence = flags.evidence ? parseEvidence((await readJson(flags.evidence, 'the evidence file')).value, flags.evidence) : undefined;
  const orgs = (flags.allowedGithubOrg ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  const report = await runAudit(snapshot, { requireCmk: flags.requireCmk === true, allowedGithubOrgs: orgs }, evidence);

  const text =
    flags.format === 'json'
      ? renderAuditJson(report)
      : flags.format === 'sarif'
        ? renderSarif(report, { ...(flags.projectFile ? { artifactUri: flags.projectFile } : {}) })
        : renderAuditMarkdown(report);
  if (flags.out) await writeFile(flags.out, text);
  else process.stdout.write(text);

  if (flags.failOn) {
    const over = report.results.flatMap((r) => r.findings).filter((f) => atLeast(f.severity, flags.failOn!));
    if (over.length) throw new CheckFailed(`${over.length} finding(s) at or above ${flags.failOn}; see the report`);
  }
}
