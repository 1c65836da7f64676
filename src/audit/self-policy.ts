// What `audit --project` needs: read-only calls on the project and the account's projects, the VPC, the
// service role, the trails, the image's repository and the alarms. "*" only where the action has no resource
// type (the EC2 Describe calls, ListProjects, DescribeTrails, GetRegistryScanningConfiguration,
// DescribeAlarmsForMetric).
import { InvalidInput, opt, say } from '../errors.js';
import type { PolicyDocument } from '../model.js';

export interface AuditSelfPolicyOptions {
  partition?: string;
  region?: string;
  account?: string;
  /** The service role's name or ARN, when known; else any role of the account. */
  role?: string;
}

export function auditSelfPolicy(o: AuditSelfPolicyOptions): PolicyDocument {
  const partition = o.partition ?? 'aws';
  const region = o.region ?? '*';
  const account = o.account ?? '*';
  if (!/^aws(-[a-z]+)*$/.test(partition)) throw new InvalidInput(say`${opt('partition')} ${JSON.stringify(partition)} is not an AWS partition`, { option: 'partition', value: partition });
  if (region !== '*' && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new InvalidInput(say`${opt('region')} ${JSON.stringify(region)} is not an AWS region`, { option: 'region', value: region });
  if (account !== '*' && !/^\d{12}$/.test(account)) throw new InvalidInput(say`${opt('account')} ${JSON.stringify(account)} is not a 12-digit account ID`, { option: 'account', value: account });
  // A bare role name may sit under any path (service-role/ is usual for CodeBuild).
  const name = o.role?.replace(/^.*\//, '');
  const role = o.role?.startsWith('arn:') ? [o.role] : name ? [`arn:${partition}:iam::${account}:role/${name}`, `arn:${partition}:iam::${account}:role/*/${name}`] : [`arn:${partition}:iam::${account}:role/*`];
  return {
    Version: '2012-10-17',
    Statement: [
      // Every project is read to find the ones that share the service role.
      { Sid: 'ReadCodeBuildProjects', Effect: 'Allow', Action: ['codebuild:BatchGetProjects'], Resource: `arn:${partition}:codebuild:${region}:${account}:project/*` },
      {
        Sid: 'ListWithoutResourceTypes',
        Effect: 'Allow',
        Action: [
          'cloudtrail:DescribeTrails',
          'cloudwatch:DescribeAlarmsForMetric',
          'codebuild:ListProjects',
          'ec2:DescribeRouteTables',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSubnets',
          'ec2:DescribeVpcEndpoints',
          'ecr:GetRegistryScanningConfiguration',
        ],
        Resource: '*',
      },
      { Sid: 'ReadServiceRole', Effect: 'Allow', Action: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'], Resource: role.length === 1 ? role[0] : role },
      {
        Sid: 'ReadAttachedPolicies',
        Effect: 'Allow',
        Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
        Resource: account === '*' ? `arn:${partition}:iam::*:policy/*` : [`arn:${partition}:iam::${account}:policy/*`, `arn:${partition}:iam::aws:policy/*`],
      },
      // Multi-region and organization trails may live in another region (any) and, for the latter, another account.
      { Sid: 'ReadTrailSettings', Effect: 'Allow', Action: ['cloudtrail:GetEventSelectors', 'cloudtrail:GetTrailStatus'], Resource: `arn:${partition}:cloudtrail:*:*:trail/*` },
      { Sid: 'ReadImageRepository', Effect: 'Allow', Action: ['ecr:DescribeRepositories'], Resource: `arn:${partition}:ecr:${region}:${account}:repository/*` },
    ],
  };
}
