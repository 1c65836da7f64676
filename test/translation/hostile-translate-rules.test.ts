// Attacks on the issue-17 rules: statement text, qualifiers, queue URLs, model IDs, secret ARNs and invokedBy
// come from the log. None may widen a grant, put a wildcard where the record named something, or move a grant
// to another account.
import { describe, expect, it } from 'vitest';
import type { TrailRecord } from '../../src/model.js';
import { translate } from '../../src/translation/translate.js';

const base = (eventSource: string, eventName: string, requestParameters: Record<string, unknown>, extra: Partial<TrailRecord> = {}): TrailRecord => ({
  eventVersion: '1.09',
  userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/cb/s', accountId: '123456789012' },
  eventTime: '2024-03-01T10:00:00Z',
  eventSource,
  eventName,
  awsRegion: 'us-east-1',
  requestParameters,
  eventType: 'AwsApiCall',
  recipientAccountId: '123456789012',
  ...extra,
});

function grants(r: TrailRecord): string[] {
  const t = translate(r);
  return t.kind === 'call' ? t.permissions.map((p) => `${p.action} ${p.resource}`) : [`(${t.kind})`];
}

const unescapedWildcard = (s: string): boolean => /(^|[^{])[*?]/.test(s.replace(/\$\{[*?$]\}/g, ''));

describe('hostile input to the multi-permission rules', () => {
  it('a PartiQL statement naming "*" or a quoted table with wildcard characters grants nothing on a pattern', () => {
    for (const statement of ['SELECT * FROM "*"', 'DELETE FROM "a*b" WHERE x = 1', 'UPDATE "t?" SET a = 1', 'SELECT * FROM', 'DROP TABLE x']) {
      const g = grants(base('dynamodb.amazonaws.com', 'ExecuteStatement', { statement }));
      for (const x of g) expect(unescapedWildcard(x.split(' ')[1] ?? ''), `${statement}: ${x}`).toBe(false);
      expect(g.join()).not.toMatch(/table\/\*/);
    }
  });

  it('one bad statement in a batch does not stop the good ones, nor borrow their verb', () => {
    const g = grants(base('dynamodb.amazonaws.com', 'BatchExecuteStatement', { statements: [{ statement: 'SELECT * FROM "*"' }, { statement: 'DELETE FROM "Carts" WHERE id = ?' }] }));
    expect(g).toEqual(['dynamodb:PartiQLDelete arn:aws:dynamodb:us-east-1:123456789012:table/Carts']);
    const t = translate(base('dynamodb.amazonaws.com', 'BatchExecuteStatement', { statements: [{ statement: 'SELECT * FROM "*"' }, { statement: 'DELETE FROM "Carts" WHERE id = ?' }] }));
    expect(t.kind === 'call' && t.refused.join()).toMatch(/1 statement\(s\) or item\(s\) named no table/);
  });

  it('a transaction item with a table "*" or another service\'s ARN is not granted', () => {
    const g = grants(base('dynamodb.amazonaws.com', 'TransactWriteItems', { transactItems: [{ put: { tableName: '*' } }, { delete: { tableName: 'arn:aws:s3:::bucket' } }, { update: { tableName: 'Stock' } }] }));
    expect(g).toEqual(['dynamodb:UpdateItem arn:aws:dynamodb:us-east-1:123456789012:table/Stock']);
  });

  it('a Lambda qualifier with wildcard characters is refused, "$LATEST" stays literal', () => {
    expect(grants(base('lambda.amazonaws.com', 'Invoke', { functionName: 'api:*' })).join()).not.toMatch(/function:api(:\*)?($|,)/);
    expect(grants(base('lambda.amazonaws.com', 'Invoke', { functionName: 'api:$LATEST' }))).toEqual(['lambda:InvokeFunction arn:aws:lambda:us-east-1:123456789012:function:api:${$}LATEST']);
  });

  it('a queue URL whose account is not 12 digits does not move the grant; the queue name stays literal', () => {
    expect(grants(base('sqs.amazonaws.com', 'SendMessage', { queueUrl: 'https://sqs.us-east-1.amazonaws.com/*/jobs' }))).toEqual(['sqs:SendMessage arn:aws:sqs:us-east-1:123456789012:jobs']);
    // Only an SQS endpoint's URL names the owner; another host's path is not trusted with the account.
    expect(grants(base('sqs.amazonaws.com', 'SendMessage', { queueUrl: 'https://evil.example/222222222222/jobs' }))).toEqual(['sqs:SendMessage arn:aws:sqs:us-east-1:123456789012:jobs']);
    expect(grants(base('sqs.amazonaws.com', 'SendMessage', { queueUrl: 'https://sqs.us-east-1.amazonaws.com/222222222222/j*' }))).toEqual(['sqs:SendMessage arn:aws:sqs:us-east-1:222222222222:j${*}']);
  });

  it('a model ID of "*" grants nothing rather than every model', () => {
    const g = grants(base('bedrock.amazonaws.com', 'Converse', { modelId: '*' }));
    for (const x of g) expect(x).not.toMatch(/foundation-model\/\*|inference-profile\/\*/);
  });

  it('a partial secret ARN with wildcard characters stays literal before the -?????? that AWS appends', () => {
    expect(grants(base('secretsmanager.amazonaws.com', 'GetSecretValue', { secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:*' }))).toEqual([
      'secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:123456789012:secret:${*}-??????',
    ]);
  });

  it('names beside ARNs are built in the caller\'s account; the ARNs keep theirs and are not copied', () => {
    const g = grants(base('ssm.amazonaws.com', 'GetParameters', { names: ['arn:aws:ssm:us-east-1:210987654321:parameter/shared/x', 'local'] }));
    expect(g).toEqual(['ssm:GetParameters arn:aws:ssm:us-east-1:210987654321:parameter/shared/x', 'ssm:GetParameters arn:aws:ssm:us-east-1:123456789012:parameter/local']);
  });

  it('AssumeRole session tags on a role ARN with wildcards: TagSession is not granted on a pattern', () => {
    const g = grants(base('sts.amazonaws.com', 'AssumeRole', { roleArn: 'arn:aws:iam::123456789012:role/*', tags: [{ key: 'a', value: 'b' }] }));
    for (const x of g) expect(unescapedWildcard(x.split(' ')[1] ?? ''), x).toBe(false);
  });

  it('invokedBy hosts that are not service endpoints never become kms:ViaService', () => {
    for (const invokedBy of ['internal.amazonaws.com', 'evil.amazonaws.com', 'AWS Internal', 's3.amazonaws.com.evil.example']) {
      const t = translate(base('kms.amazonaws.com', 'Decrypt', {}, { userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/cb/s', accountId: '123456789012', invokedBy } }));
      expect(t.kind === 'call' && t.permissions.every((p) => p.context?.['kms:ViaService'] === undefined), invokedBy).toBe(true);
    }
    const ok = translate(base('kms.amazonaws.com', 'Decrypt', {}, { userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/cb/s', accountId: '123456789012', invokedBy: 's3.amazonaws.com' } }));
    expect(ok.kind === 'call' && ok.permissions[0].context?.['kms:ViaService']).toBe('s3.us-east-1.amazonaws.com');
  });

  it('account IDs of other lengths or with wildcards are refused', () => {
    for (const account of ['12345678901', '1234567890123', '12345678901*', 'abcdefghijkl']) {
      expect(translate(base('s3.amazonaws.com', 'GetObject', { bucketName: 'b', key: 'k' }, { recipientAccountId: account })).kind, account).toBe('untranslatable');
    }
  });

  it('an implied companion follows its call: a denied CreateLogStream implies nothing granted', () => {
    const t = translate(base('logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/codebuild/a', logStreamName: 's' }, { errorCode: 'AccessDenied' }));
    expect(t.kind === 'call' && t.outcome).toBe('denied');
    // Denied facts are never granted; a denied call implies no companion at all (the trail shows no denied
    // PutLogEvents, so none is reported).
    expect(t.kind === 'call' && t.permissions.map((p) => p.origin)).toEqual(['observed']);
  });
});
