// Resources come from the fields that name them (src/translation/data/resource-fields.json, generated from the
// SDK->IAM map and the IAM reference), never from a field whose key merely ends in "arn"/"id"/"name". Tags,
// environment variables, encryption context, metadata headers and message attributes are data: an ARN there
// must neither become a grant (widening) nor push out the resource the call really named (narrowing), and its
// value must not reach any output.
import { describe, expect, it } from 'vitest';
import type { Permission, TrailRecord } from '../../src/model.js';
import { translate } from '../../src/translation/translate.js';

const A = '123456789012';
const R = 'us-east-1';

function rec(eventSource: string, eventName: string, requestParameters: Record<string, unknown>, extra: Partial<TrailRecord> = {}): TrailRecord {
  return {
    eventVersion: '1.09',
    eventTime: '2024-03-01T10:00:00Z',
    eventSource,
    eventName,
    awsRegion: R,
    eventType: 'AwsApiCall',
    recipientAccountId: A,
    eventID: 'e-1',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/cb/AWSCodeBuild-1`, accountId: A },
    requestParameters,
    ...extra,
  };
}

function grants(r: TrailRecord): Array<[string, string]> {
  const t = translate(r);
  expect(t.kind).toBe('call');
  return t.kind === 'call' ? t.permissions.map((p: Permission) => [p.action, p.resource]) : [];
}

describe('data fields are never resources', () => {
  it('S3 x-amz-meta-* headers: the object written is granted, the header value appears nowhere', () => {
    const r = rec('s3.amazonaws.com', 'PutObject', {
      bucketName: 'real-artifacts',
      key: 'app.zip',
      'x-amz-meta-source-arn': 'arn:aws:s3:::victim-bucket/secret',
      'x-amz-meta-owner-id': 'arn:aws:s3:::victim-bucket/other',
    });
    expect(grants(r)).toEqual([['s3:PutObject', 'arn:aws:s3:::real-artifacts/app.zip']]);
    expect(JSON.stringify(translate(r))).not.toContain('victim');
  });

  it('Lambda tags and environment variables: the created function and its role, nothing else', () => {
    const r = rec('lambda.amazonaws.com', 'CreateFunction20150331', {
      functionName: 'mine',
      role: `arn:aws:iam::${A}:role/exec`,
      environment: { variables: { TARGET_FUNCTION_ARN: `arn:aws:lambda:${R}:${A}:function:victim`, ADMIN_ROLE_ARN: `arn:aws:iam::${A}:role/admin` } },
      tags: { ownerArn: `arn:aws:lambda:${R}:${A}:function:victim2`, roleArn: `arn:aws:iam::${A}:role/admin` },
    });
    expect(grants(r)).toEqual([
      ['lambda:CreateFunction', `arn:aws:lambda:${R}:${A}:function:mine`],
      ['iam:PassRole', `arn:aws:iam::${A}:role/exec`],
    ]);
    expect(JSON.stringify(translate(r))).not.toMatch(/victim|admin/);
  });

  it('KMS encryption context: the key of the call, not a key named in the context', () => {
    const key = '1234abcd-12ab-34cd-56ef-1234567890ab';
    const r = rec(
      'kms.amazonaws.com',
      'Decrypt',
      {
        encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        encryptionContext: { KeyArn: `arn:aws:kms:${R}:${A}:key/99999999-0000-0000-0000-000000000000`, 'aws:s3:arn': 'arn:aws:s3:::victim-bucket/x' },
      },
      { resources: [{ ARN: `arn:aws:kms:${R}:${A}:key/${key}`, accountId: A, type: 'AWS::KMS::Key' }] },
    );
    expect(grants(r)).toEqual([['kms:Decrypt', `arn:aws:kms:${R}:${A}:key/${key}`]]);
    expect(JSON.stringify(translate(r))).not.toMatch(/99999999|victim/);
  });

  it('SNS message attributes: the topic published to', () => {
    const r = rec('sns.amazonaws.com', 'Publish', {
      topicArn: `arn:aws:sns:${R}:${A}:builds`,
      messageAttributes: { TopicArn: `arn:aws:sns:${R}:${A}:victim`, replyTopicArn: { dataType: 'String', stringValue: `arn:aws:sns:${R}:${A}:victim2` } },
    });
    expect(grants(r)).toEqual([['sns:Publish', `arn:aws:sns:${R}:${A}:builds`]]);
    expect(JSON.stringify(translate(r))).not.toContain('victim');
  });

  it('a policy document and a tag naming a role pass no role', () => {
    const r = rec('dax.amazonaws.com', 'CreateCluster', {
      clusterName: 'cache',
      iamRoleArn: `arn:aws:iam::${A}:role/dax-access`,
      tags: [{ key: 'roleArn', value: `arn:aws:iam::${A}:role/admin` }],
      policyArn: `arn:aws:iam::${A}:role/admin2`,
    });
    const g = grants(r);
    expect(g.filter(([a]) => a === 'iam:PassRole')).toEqual([['iam:PassRole', `arn:aws:iam::${A}:role/dax-access`]]);
    expect(JSON.stringify(g)).not.toMatch(/admin/);
  });
});

describe('an operation the SDK->IAM map does not know', () => {
  it('reads only top-level fields named for the action\'s resource types, never nested data', () => {
    // SNS PublishBatch is newer than the 2022 map; it is translated as sns:Publish (event-rules.json).
    const r = rec('sns.amazonaws.com', 'PublishBatch', {
      topicArn: `arn:aws:sns:${R}:${A}:builds`,
      publishBatchRequestEntries: [{ id: '1', messageAttributes: { topicArn: `arn:aws:sns:${R}:${A}:victim` } }],
      tags: { topicArn: `arn:aws:sns:${R}:${A}:victim2` },
    });
    expect(grants(r)).toEqual([['sns:Publish', `arn:aws:sns:${R}:${A}:builds`]]);
  });
});

describe('every call that passes a role needs iam:PassRole on it (fields from the SDK->IAM map)', () => {
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    ['dax.amazonaws.com', 'CreateCluster', { clusterName: 'c', iamRoleArn: `arn:aws:iam::${A}:role/dax` }, `arn:aws:iam::${A}:role/dax`],
    ['sagemaker.amazonaws.com', 'CreateModel', { modelName: 'm', executionRoleArn: `arn:aws:iam::${A}:role/sm` }, `arn:aws:iam::${A}:role/sm`],
    [
      'codedeploy.amazonaws.com',
      'CreateDeploymentGroup',
      { applicationName: 'app', deploymentGroupName: 'dg', serviceRoleArn: `arn:aws:iam::${A}:role/cd` },
      `arn:aws:iam::${A}:role/cd`,
    ],
    [
      'config.amazonaws.com',
      'PutConfigurationRecorder',
      { configurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${A}:role/service-role/config` } },
      `arn:aws:iam::${A}:role/service-role/config`,
    ],
    ['transfer.amazonaws.com', 'CreateServer', { loggingRole: `arn:aws:iam::${A}:role/transfer-logs` }, `arn:aws:iam::${A}:role/transfer-logs`],
    ['glue.amazonaws.com', 'CreateJob', { name: 'etl', role: 'glue-etl', command: { name: 'glueetl' } }, `arn:aws:iam::${A}:role/glue-etl`],
    ['states.amazonaws.com', 'CreateStateMachine', { name: 'sm', roleArn: `arn:aws:iam::${A}:role/sfn`, definition: '{}' }, `arn:aws:iam::${A}:role/sfn`],
  ];
  for (const [source, name, params, role] of cases) {
    it(`${source} ${name}`, () => {
      const passed = grants(rec(source, name, params)).filter(([a]) => a === 'iam:PassRole');
      expect(passed).toEqual([['iam:PassRole', role]]);
    });
  }

  it('a role field whose value is not a role ARN passes nothing', () => {
    const r = rec('sagemaker.amazonaws.com', 'CreateModel', { modelName: 'm', executionRoleArn: `arn:aws:s3:::bucket/x` });
    expect(grants(r).filter(([a]) => a === 'iam:PassRole')).toEqual([]);
  });
});

describe('resource names in the request are used (not "*")', () => {
  const cases: Array<[string, string, Record<string, unknown>, Array<[string, string]>]> = [
    ['kinesis.amazonaws.com', 'PutRecord', { streamName: 'events', partitionKey: 'p' }, [['kinesis:PutRecord', `arn:aws:kinesis:${R}:${A}:stream/events`]]],
    ['sqs.amazonaws.com', 'CreateQueue', { queueName: 'jobs' }, [['sqs:CreateQueue', `arn:aws:sqs:${R}:${A}:jobs`]]],
    ['glacier.amazonaws.com', 'UploadArchive', { vaultName: 'backups', accountId: '-' }, [['glacier:UploadArchive', `arn:aws:glacier:${R}:${A}:vaults/backups`]]],
    [
      'codedeploy.amazonaws.com',
      'CreateDeployment',
      { applicationName: 'web', deploymentGroupName: 'prod' },
      [['codedeploy:CreateDeployment', `arn:aws:codedeploy:${R}:${A}:deploymentgroup:web/prod`]],
    ],
    ['es.amazonaws.com', 'CreateDomain', { domainName: 'search' }, [['es:CreateDomain', `arn:aws:es:${R}:${A}:domain/search`]]],
    ['ecs.amazonaws.com', 'DescribeServices', { cluster: 'ci', services: ['web'] }, [['ecs:DescribeServices', `arn:aws:ecs:${R}:${A}:service/ci/web`]]],
    ['ecs.amazonaws.com', 'DescribeClusters', { clusters: [`arn:aws:ecs:${R}:${A}:cluster/ci`] }, [['ecs:DescribeClusters', `arn:aws:ecs:${R}:${A}:cluster/ci`]]],
    [
      'elasticloadbalancing.amazonaws.com',
      'RegisterTargets',
      { targetGroupArn: `arn:aws:elasticloadbalancing:${R}:${A}:targetgroup/web/0123456789abcdef`, targets: [{ id: 'i-0123' }] },
      [['elasticloadbalancing:RegisterTargets', `arn:aws:elasticloadbalancing:${R}:${A}:targetgroup/web/0123456789abcdef`]],
    ],
    ['route53.amazonaws.com', 'ChangeResourceRecordSets', { hostedZoneId: 'Z0123456789ABC' }, [['route53:ChangeResourceRecordSets', 'arn:aws:route53:::hostedzone/Z0123456789ABC']]],
    ['ec2.amazonaws.com', 'DeregisterImage', { imageId: 'ami-0123456789abcdef0' }, [['ec2:DeregisterImage', `arn:aws:ec2:${R}::image/ami-0123456789abcdef0`]]],
    ['ec2.amazonaws.com', 'DeleteSnapshot', { snapshotId: 'snap-0123456789abcdef0' }, [['ec2:DeleteSnapshot', `arn:aws:ec2:${R}::snapshot/snap-0123456789abcdef0`]]],
    ['elasticfilesystem.amazonaws.com', 'DescribeMountTargets', { fileSystemId: 'fs-0123' }, [['elasticfilesystem:DescribeMountTargets', `arn:aws:elasticfilesystem:${R}:${A}:file-system/fs-0123`]]],
    ['elasticache.amazonaws.com', 'DeleteCacheCluster', { cacheClusterId: 'redis-ci' }, [['elasticache:DeleteCacheCluster', `arn:aws:elasticache:${R}:${A}:cluster:redis-ci`]]],
    [
      'elasticbeanstalk.amazonaws.com',
      'CreateApplicationVersion',
      { applicationName: 'web', versionLabel: 'v42' },
      [
        ['elasticbeanstalk:CreateApplicationVersion', `arn:aws:elasticbeanstalk:${R}:${A}:application/web`],
        ['elasticbeanstalk:CreateApplicationVersion', `arn:aws:elasticbeanstalk:${R}:${A}:applicationversion/web/v42`],
      ],
    ],
    ['sagemaker.amazonaws.com', 'CreateTrainingJob', { trainingJobName: 'train-1' }, [['sagemaker:CreateTrainingJob', `arn:aws:sagemaker:${R}:${A}:training-job/train-1`]]],
    ['access-analyzer.amazonaws.com', 'GetAnalyzer', { analyzerName: 'org' }, [['access-analyzer:GetAnalyzer', `arn:aws:access-analyzer:${R}:${A}:analyzer/org`]]],
    [
      'codeartifact.amazonaws.com',
      'GetRepositoryEndpoint',
      { domain: 'acme', domainOwner: A, repository: 'npm-store', format: 'npm' },
      [['codeartifact:GetRepositoryEndpoint', `arn:aws:codeartifact:${R}:${A}:repository/acme/npm-store`]],
    ],
  ];
  for (const [source, name, params, expected] of cases) {
    it(`${source} ${name}`, () => expect(grants(rec(source, name, params))).toEqual(expected));
  }
});
