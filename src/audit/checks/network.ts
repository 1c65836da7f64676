// Layer 1, network: the build runs in a VPC, on private subnets, reaches AWS through VPC endpoints, and its
// security groups do not open egress to the whole internet.
import type { AuditInput, ProjectSnapshot } from '../model.js';
import { DOCS } from '../sources.js';
import { servicesCalled } from './common.js';
import { given, layerChecks, type Outcome, type Problem } from './define.js';

interface Vpc { vpcId: string; subnets: string[]; groups: string[] }

function vpcOf(input: AuditInput): Vpc | undefined {
  const v = input.snapshot.project.vpcConfig;
  if (!v?.vpcId) return undefined;
  return { vpcId: v.vpcId, subnets: v.subnets ?? [], groups: v.securityGroupIds ?? [] };
}

/** The project's VPC and the EC2 descriptions around it, or why a network check cannot run. */
interface VpcNetwork { vpc: Vpc; net: NonNullable<ProjectSnapshot['network']> }

function vpcNetwork(input: AuditInput): VpcNetwork | { skipped: string } {
  const vpc = vpcOf(input);
  if (!vpc) return { skipped: 'the project does not run in a VPC (see NET-VPC)' };
  const net = input.snapshot.network;
  if (!net) return { skipped: 'no EC2 descriptions (subnets, route tables, security groups, VPC endpoints) were given' };
  return { vpc, net };
}

function vpcCheck(input: AuditInput): Outcome {
  if (vpcOf(input)) return [];
  return [{
    message: 'The build runs outside any VPC, on CodeBuild\'s shared network with unrestricted internet access.',
    evidence: ['vpcConfig is not set'],
    fix: 'Set vpcConfig (vpcId, private subnets with a NAT gateway or VPC endpoints, security groups) so the build\'s network can be restricted and observed.',
  }];
}

function privateSubnetCheck({ vpc, net }: VpcNetwork): Outcome {
  const tables = net.routeTables.filter((t) => !t.VpcId || t.VpcId === vpc.vpcId);
  const main = tables.find((t) => t.Associations?.some((a) => a.Main));
  const problems: Problem[] = [];
  const unknown: string[] = [];
  for (const subnet of [...vpc.subnets].sort()) {
    const table = tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnet)) ?? main;
    if (!table) {
      unknown.push(subnet);
      continue;
    }
    const igw = (table.Routes ?? []).filter((r) => r.GatewayId?.startsWith('igw-'));
    if (igw.length) {
      const routes = igw.map((r) => `${r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId ?? '?'} -> ${r.GatewayId}`);
      problems.push({
        resource: subnet,
        key: subnet,
        message: `Subnet ${subnet} routes to an internet gateway: it is a public subnet.`,
        evidence: [`route table ${table.RouteTableId ?? '?'}: ${routes.join(', ')}`],
        fix: 'Use private subnets whose default route goes to a NAT gateway (or none, with VPC endpoints); CodeBuild does not give builds public IP addresses.',
      });
    }
  }
  return { problems, note: unknown.length ? `no route table found for ${unknown.join(', ')}` : undefined };
}

/** Interface or gateway endpoint service names (after com.amazonaws.<region>.) for an IAM service prefix. */
const ENDPOINT_SERVICES: Record<string, string[]> = {
  s3: ['s3'],
  ecr: ['ecr.api', 'ecr.dkr'],
  logs: ['logs'],
  sts: ['sts'],
  kms: ['kms'],
  secretsmanager: ['secretsmanager'],
  ssm: ['ssm'],
  codeartifact: ['codeartifact.api', 'codeartifact.repositories'],
  dynamodb: ['dynamodb'],
  sqs: ['sqs'],
  sns: ['sns'],
  lambda: ['lambda'],
  ecs: ['ecs'],
  ec2: ['ec2'],
  cloudformation: ['cloudformation'],
  codebuild: ['codebuild'],
  codecommit: ['git-codecommit'],
  cloudwatch: ['monitoring'],
  events: ['events'],
  states: ['states'],
  athena: ['athena'],
  glue: ['glue'],
};

function endpointsCheck({ vpc, net }: VpcNetwork, input: AuditInput): Outcome {
  const region = input.snapshot.region;
  const present = new Set(
    net.vpcEndpoints
      .filter((e) => (!e.VpcId || e.VpcId === vpc.vpcId) && (e.State === undefined || /^available$/i.test(String(e.State))))
      .map((e) => /^com\.amazonaws\.([^.]+)\.(.+)$/.exec(e.ServiceName ?? ''))
      .filter((m) => m?.[1] === region)
      .map((m) => m![2]),
  );
  const called = servicesCalled(input);
  const problems: Problem[] = [];
  const unmapped: string[] = [];
  for (const [prefix, why] of [...called].sort(([a], [b]) => a.localeCompare(b))) {
    const needed = ENDPOINT_SERVICES[prefix];
    if (!needed) {
      unmapped.push(prefix);
      continue;
    }
    for (const svc of needed) {
      if (present.has(svc)) continue;
      problems.push({
        resource: vpc.vpcId,
        key: svc,
        message: `The build calls ${prefix} but VPC ${vpc.vpcId} has no ${svc} endpoint: the traffic leaves through a NAT gateway or fails.`,
        evidence: [`${prefix} is used: ${why}`, `no available endpoint com.amazonaws.${region}.${svc} in ${vpc.vpcId}`],
        fix: `Create the ${svc === 's3' ? 'gateway' : 'interface'} endpoint com.amazonaws.${region}.${svc} in ${vpc.vpcId} (with an endpoint policy limited to the project's resources).`,
      });
    }
  }
  return { problems, note: unmapped.length ? `no endpoint mapping for ${unmapped.join(', ')} (reached through NAT)` : undefined };
}

function egressCheck({ vpc, net }: VpcNetwork): Outcome {
  const problems: Problem[] = [];
  for (const id of [...vpc.groups].sort()) {
    const sg = net.securityGroups.find((g) => g.GroupId === id);
    if (!sg) continue;
    const open = (sg.IpPermissionsEgress ?? []).flatMap((p) => {
      const ports = p.IpProtocol === '-1' ? 'all traffic' : `${p.IpProtocol ?? '?'} ${p.FromPort ?? '?'}-${p.ToPort ?? '?'}`;
      return [
        ...(p.IpRanges ?? []).filter((r) => r.CidrIp === '0.0.0.0/0').map(() => `${ports} to 0.0.0.0/0`),
        ...(p.Ipv6Ranges ?? []).filter((r) => r.CidrIpv6 === '::/0').map(() => `${ports} to ::/0`),
      ];
    });
    if (open.length) {
      problems.push({
        resource: id,
        key: id,
        message: `Security group ${id} lets the build connect anywhere on the internet.`,
        evidence: open,
        fix: 'Limit egress to the VPC endpoints\' security group and the prefix lists or addresses the build needs (e.g. HTTPS to a proxy).',
      });
    }
  }
  return problems;
}

/** The network checks, in report order. */
export const NETWORK_CHECKS = layerChecks('network', [
  { id: 'NET-VPC', title: 'The project runs in a VPC', severity: 'medium', sources: [DOCS.vpc], run: vpcCheck },
  { id: 'NET-PRIVATE-SUBNET', title: 'The project\'s subnets are private (no route to an internet gateway)', severity: 'medium', sources: [DOCS.vpc], run: given(vpcNetwork, privateSubnetCheck) },
  { id: 'NET-VPC-ENDPOINTS', title: 'VPC endpoints exist for the AWS services the build calls', severity: 'medium', sources: [DOCS.vpcEndpoints, DOCS.privateLink], run: given(vpcNetwork, endpointsCheck) },
  { id: 'NET-SG-EGRESS', title: 'Security groups do not allow egress to 0.0.0.0/0 or ::/0', severity: 'low', sources: [DOCS.sgRules], run: given(vpcNetwork, egressCheck) },
]);
