// Layer 3, data and secrets: artifacts, cache and S3 logs encrypted (with a customer managed key when the
// team asks for one), no secrets in PLAINTEXT environment variables, no credentials in source URLs.
import type { Project } from '@aws-sdk/client-codebuild';
import type { AuditInput } from '../model.js';
import { configRule, controlTower, DOCS, prowler, securityHub } from '../sources.js';
import { artifacts, projectName, sources } from './common.js';
import { layerChecks, type Outcome, type Problem } from './define.js';
import { awsCredential, redactUrl, secretName, secretValueKind } from './secrets.js';

/** The project's key, or why it is not a customer managed key. */
function keyProblem(p: Project): string | undefined {
  const key = p.encryptionKey;
  if (!key) return 'no encryptionKey: CodeBuild uses the AWS managed key aws/s3';
  if (/(^|:)alias\/aws\/s3$/.test(key)) return `encryptionKey is the AWS managed key (${key})`;
  return undefined;
}

function cmkProblem(what: string, problem: string): Problem {
  return {
    severity: 'medium',
    key: 'cmk',
    message: `${what} are encrypted with the AWS managed key, not a customer managed key.`,
    evidence: [problem],
    fix: `Create a customer managed KMS key whose policy lets the service role use it, and set the project's encryptionKey to its ARN.`,
  };
}

function artifactEncryptionCheck(input: AuditInput): Outcome {
  const s3 = artifacts(input.snapshot.project).filter((a) => a.type === 'S3');
  if (!s3.length) return { problems: [], note: 'the project writes no S3 artifacts' };
  const problems: Problem[] = [];
  for (const a of s3) {
    if (!a.encryptionDisabled) continue;
    const id = a.artifactIdentifier ?? 'primary';
    problems.push({ key: id, message: `Encryption is disabled for the ${id} artifacts.`, evidence: [`artifacts ${id}: encryptionDisabled true`], fix: 'Set encryptionDisabled to false on the artifact (and an encryptionKey on the project).' });
  }
  const problem = keyProblem(input.snapshot.project);
  if (input.options.requireCmk && problem) problems.push(cmkProblem('Artifacts', problem));
  return problems;
}

function cacheEncryptionCheck(input: AuditInput): Outcome {
  const p = input.snapshot.project;
  if (p.cache?.type !== 'S3') return { problems: [], note: 'the project has no S3 cache' };
  const problem = keyProblem(p);
  if (!problem) return [];
  if (!input.options.requireCmk) return { problems: [], note: `${problem} (pass --require-cmk to require a customer managed key)` };
  return [cmkProblem('The S3 cache contents', problem)];
}

function s3LogsEncryptionCheck(input: AuditInput): Outcome {
  const s3 = input.snapshot.project.logsConfig?.s3Logs;
  if (s3?.status !== 'ENABLED') return { problems: [], note: 'S3 logs are not enabled' };
  const problems: Problem[] = [];
  if (s3.encryptionDisabled) {
    problems.push({ key: 'disabled', message: 'Encryption is disabled for the S3 build logs.', evidence: ['logsConfig.s3Logs.encryptionDisabled: true'], fix: 'Set logsConfig.s3Logs.encryptionDisabled to false.' });
  }
  const problem = keyProblem(input.snapshot.project);
  if (input.options.requireCmk && problem) problems.push(cmkProblem('S3 build logs', problem));
  return problems;
}

/** A Secrets Manager name for a variable: the characters secret names allow. */
function secretNameFor(project: string, variable: string): string {
  return `codebuild/${project}/${variable}`.replace(/[^A-Za-z0-9/_+=.@-]/g, '_');
}

function plaintextSecretCheck(input: AuditInput): Outcome {
  const { region, account, partition } = input.snapshot;
  const problems: Problem[] = [];
  const vars = input.snapshot.project.environment?.environmentVariables ?? [];
  vars.forEach((v, i) => {
    if (v.type && v.type !== 'PLAINTEXT') return;
    const name = v.name ?? `#${i}`;
    const value = v.value ?? '';
    const kind = secretValueKind(value);
    const byName = secretName(name) && value.trim() !== '';
    if (!kind && !byName) return;
    const aws = awsCredential(name, value);
    const secret = secretNameFor(projectName(input), name);
    problems.push({
      severity: aws ? 'critical' : 'high',
      key: name,
      message: `Environment variable ${name} is PLAINTEXT and ${kind ? `its value looks like ${kind}` : 'its name says it holds a secret'}; anyone who can read the project (or a public build's logs) can read it.`,
      evidence: [`environmentVariables[${i}] ${name}: type PLAINTEXT, ${kind ? `value looks like ${kind}` : 'secret-like name'} (value not shown)`],
      fix: `${aws ? 'Remove it and let the build use its service role\'s credentials; if another account\'s key is really needed, ' : ''}store the value in Secrets Manager as ${secret} and set the variable to {"name": ${JSON.stringify(name)}, "type": "SECRETS_MANAGER", "value": "${secret}"}; grant the service role secretsmanager:GetSecretValue on arn:${partition}:secretsmanager:${region}:${account}:secret:${secret}-?????? (or use PARAMETER_STORE with ssm:GetParameters on the parameter). Rotate the exposed value.`,
    });
  });
  return problems;
}

function sourceCredentialsCheck(input: AuditInput): Outcome {
  const problems: Problem[] = [];
  for (const s of sources(input.snapshot.project)) {
    const loc = s.location ?? '';
    const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(loc);
    const info = m ? decodeURIComponentSafe(m[1]) : '';
    const hasPassword = info.includes(':');
    const tokenUser = !hasPassword && info !== '' && secretValueKind(info) !== undefined;
    // A token in the path or query (e.g. ?access_token=...), by the same value tests as environment variables.
    const rest = loc.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
    const tokenElsewhere = rest.split(/[/?&=#]/).some((part) => /^(gh[pousr]_|github_pat_|glpat-|xox[abprs]-|AKIA|ASIA)/.test(decodeURIComponentSafe(part)));
    if (!hasPassword && !tokenUser && !tokenElsewhere) continue;
    const id = s.sourceIdentifier ?? 'primary';
    problems.push({
      key: id,
      message: `The ${id} source URL embeds ${hasPassword ? 'a user name and password or token' : 'a token'}.`,
      evidence: [`source ${id}: ${tokenElsewhere ? `${hostOf(loc)}/*** (a token in the path or query; not shown)` : `${redactUrl(loc)} (credentials not shown)`}`],
      fix: 'Remove the credentials from the URL and connect the repository with a CodeConnections connection or OAuth (source credentials); rotate the exposed token.',
    });
  }
  return problems;
}

/** Scheme and host of a URL, without user info. */
function hostOf(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/@]*@)?([^/?#]*)/i.exec(url);
  return m ? `${m[1]}${m[2]}` : '***';
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The data checks, in report order. */
export const DATA_CHECKS = layerChecks('data', [
  { id: 'DATA-ARTIFACT-ENCRYPTION', title: 'S3 artifacts are encrypted (with a customer managed key under --require-cmk)', severity: 'high', sources: [DOCS.dataEncryption, configRule('codebuild-project-artifact-encryption'), controlTower('CT.CODEBUILD.PR.5'), prowler('codebuild_project_artifact_encryption')], run: artifactEncryptionCheck },
  { id: 'DATA-CACHE-ENCRYPTION', title: 'The S3 cache is encrypted with a customer managed key (under --require-cmk)', severity: 'medium', sources: [DOCS.dataEncryption], run: cacheEncryptionCheck },
  { id: 'DATA-S3-LOGS-ENCRYPTION', title: 'S3 build logs are encrypted (with a customer managed key under --require-cmk)', severity: 'high', sources: [securityHub('CodeBuild.3'), configRule('codebuild-project-s3-logs-encrypted'), controlTower('CT.CODEBUILD.PR.6'), prowler('codebuild_project_s3_logs_encrypted')], run: s3LogsEncryptionCheck },
  { id: 'DATA-PLAINTEXT-SECRET', title: 'No secrets in PLAINTEXT environment variables', severity: 'high', sources: [DOCS.envVars, securityHub('CodeBuild.2'), configRule('codebuild-project-envvar-awscred-check'), controlTower('CT.CODEBUILD.PR.2'), prowler('codebuild_project_no_secrets_in_variables')], run: plaintextSecretCheck },
  { id: 'DATA-SOURCE-URL-CREDENTIALS', title: 'Source URLs carry no credentials', severity: 'critical', sources: [securityHub('CodeBuild.1'), configRule('codebuild-project-source-repo-url-check'), controlTower('CT.CODEBUILD.PR.1'), prowler('codebuild_project_source_repo_url_no_sensitive_credentials')], run: sourceCredentialsCheck },
]);
