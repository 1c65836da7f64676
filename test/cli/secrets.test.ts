// Records that carry secret-looking values (parameter values, secret strings, environment variables,
// passwords, tokens in responses, ARN-shaped values, text in broken lines) must leave no trace in any
// output: policy, boundary, trust, evidence, report, the Terraform/CloudFormation exports, stdout or stderr.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, runCli, tempDir } from '../../fixtures/hostile/cli.js';
import { ACCOUNT, record } from '../../fixtures/hostile/make.js';

// Each marker is unique, so a hit names the field that leaked.
const secret = (field: string): string => `S3CRET${field.replace(/\W/g, '')}Zq8w`;

const call = (i: number, eventSource: string, eventName: string, requestParameters: unknown, extra: Record<string, unknown> = {}) =>
  record(i, { eventSource, eventName, requestParameters, ...extra });

function secretRecords(): Array<Record<string, unknown>> {
  return [
    record(1),
    call(2, 'ssm.amazonaws.com', 'PutParameter', { name: '/app/db-url', value: secret('ssmValue'), type: 'SecureString' }),
    call(3, 'ssm.amazonaws.com', 'PutParameter', { name: '/app/arn-like', value: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/${secret('ssmArnValue')}` }),
    call(4, 'ssm.amazonaws.com', 'PutParameter', { name: `/app/"${secret('refusedName')}`, value: 'v' }),
    call(5, 'secretsmanager.amazonaws.com', 'PutSecretValue', { secretId: 'prod/db', secretString: secret('secretString') }),
    call(6, 'secretsmanager.amazonaws.com', 'CreateSecret', { name: 'prod/api', secretString: secret('createSecretString'), description: secret('description') }),
    call(7, 'codebuild.amazonaws.com', 'CreateProject', {
      name: 'app',
      serviceRole: `arn:aws:iam::${ACCOUNT}:role/service-role/cb-role`,
      environment: { environmentVariables: [{ name: 'DB_PASSWORD', value: secret('envValue'), type: 'PLAINTEXT' }] },
    }),
    call(8, 'codebuild.amazonaws.com', 'StartBuild', { projectName: 'app', environmentVariablesOverride: [{ name: 'TOKEN', value: secret('envOverride') }] }),
    call(9, 'rds.amazonaws.com', 'CreateDBInstance', { dBInstanceIdentifier: 'db1', masterUserPassword: secret('masterUserPassword') }),
    call(1, 'iam.amazonaws.com', 'CreateLoginProfile', { userName: 'bob', password: secret('loginPassword') }),
    call(2, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', { functionName: 'fn', environment: { variables: { API_KEY: secret('lambdaEnv') } } }),
    call(
      3,
      'sts.amazonaws.com',
      'AssumeRole',
      { roleArn: `arn:aws:iam::${ACCOUNT}:role/deploy`, roleSessionName: 's' },
      { responseElements: { credentials: { accessKeyId: 'ASIAEXAMPLE', sessionToken: secret('sessionToken'), secretAccessKey: secret('secretAccessKey') } } },
    ),
    call(4, 'ecr.amazonaws.com', 'GetAuthorizationToken', {}, { responseElements: { authorizationData: [{ authorizationToken: secret('ecrToken') }] } }),
    call(5, 's3.amazonaws.com', 'PutObject', {
      bucketName: 'artifacts',
      key: 'app.zip',
      'x-amz-meta-token': secret('s3Meta'),
      tagging: `arn:aws:s3:::${secret('s3TagArn')}/x`,
    }),
    call(6, 'kms.amazonaws.com', 'Encrypt', { keyId: 'alias/app', plaintext: secret('kmsPlaintext') }, { additionalEventData: { note: secret('additionalEventData') } }),
    call(7, 's3.amazonaws.com', 'GetObject', { bucketName: 'prod', key: 'k' }, { errorCode: 'AccessDenied', errorMessage: `denied ${secret('errorMessage')}` }),
    record(8, { userAgent: `aws-sdk ${secret('userAgent')}` }),
  ];
}

const markers = [
  'ssmValue',
  'ssmArnValue',
  'refusedName',
  'secretString',
  'createSecretString',
  'description',
  'envValue',
  'envOverride',
  'masterUserPassword',
  'loginPassword',
  'lambdaEnv',
  'sessionToken',
  'secretAccessKey',
  'ecrToken',
  's3Meta',
  's3TagArn',
  'kmsPlaintext',
  'additionalEventData',
  'errorMessage',
  'userAgent',
  'badLine',
  'truncatedDoc',
  'notJson',
].map(secret);

function trail(): string[] {
  const dir = tempDir('secrets');
  const files = [join(dir, 'records.json'), join(dir, 'lines.jsonl'), join(dir, 'cut.json'), join(dir, 'text.json')];
  writeFileSync(files[0], JSON.stringify({ Records: secretRecords() }));
  // Unusable input is located by file and line, never quoted.
  writeFileSync(files[1], `${JSON.stringify(record(9))}\n{"password": "${secret('badLine')}", cb-role\n`);
  const doc = JSON.stringify({ Records: [record(1, { requestParameters: { logGroupName: '/aws/codebuild/app', logStreamName: 's', token: secret('truncatedDoc') } })] });
  writeFileSync(files[2], doc.slice(0, doc.indexOf(secret('truncatedDoc')) + 12));
  writeFileSync(files[3], `${secret('notJson')} cb-role`);
  return files;
}

function expectNoSecrets(where: string, text: string): void {
  for (const m of markers) expect(text.includes(m), `${m} leaked into ${where}`).toBe(false);
  expect(text, where).not.toMatch(/S3CRET/);
}

describe('secrets in requests and responses appear in no output', () => {
  const files = trail();

  it('--out with every export: no file carries a secret value', async () => {
    const r = await generate(files, ['--export', 'terraform,cloudformation', '--allow-broad']);
    expect(r.code, r.stderr).toBe(0);
    const written = readdirSync(r.out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const names = written.map((e) => e.name);
    for (const expected of ['policy.json', 'boundary.json', 'trust.json', 'evidence.json', 'report.md']) expect(names).toContain(expected);
    expect(names.some((n) => /\.tf$|\.tf\.json$/.test(n)), names.join(', ')).toBe(true);
    for (const e of written) expectNoSecrets(e.name, readFileSync(join(e.parentPath, e.name), 'utf8'));
    expectNoSecrets('stderr', r.stderr);
    // The run did read these records: the names they carry are in the outputs, their values are not.
    const evidenceText = readFileSync(join(r.out, 'evidence.json'), 'utf8');
    expect(evidenceText).toContain(`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/db-url`);
    expect(evidenceText).toContain(`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/arn-like`);
    expect(readFileSync(join(r.out, 'policy.json'), 'utf8')).toContain('arn:aws:s3:::artifacts/app.zip');
    const evidence = r.evidence!;
    expect(evidence.read.skipped['not-json']).toBe(1);
    expect(evidence.read.fileProblems['not-json']).toBe(2);
    expect(evidence.refused.length).toBeGreaterThan(0);
  });

  for (const format of ['json', 'terraform', 'cloudformation']) {
    it(`stdout --format ${format}: no secret value`, async () => {
      const r = await runCli(['generate', ...files.flatMap((f) => ['--logs', f]), '--role', 'cb-role', '--format', format, '--allow-broad', '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(100);
      expectNoSecrets(`stdout (${format})`, r.stdout);
      expectNoSecrets(`stderr (${format})`, r.stderr);
    });
  }

  it('--strict stops on the broken line without quoting it', async () => {
    const r = await generate(files, ['--strict']);
    expect(r.code).toBe(2);
    expectNoSecrets('the --strict message', r.stderr);
  });
});
