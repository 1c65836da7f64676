// IAM query/XML answers for a fake account, used by the role reader and diff CLI tests. Documents are sent
// URL-encoded as IAM does, and every list is split into pages of `pageSize` with IsTruncated/Marker.
import { escapeXml, queryError, type EndpointReply, type RecordedRequest } from '../../../support/aws-endpoint.js';

export interface FakeRole {
  name: string;
  arn: string;
  trust: object;
  inline: Record<string, object>;
  /** Attached managed policies by ARN. */
  managed: Record<string, { name: string; defaultVersion: string; versions: Record<string, object> }>;
  boundaryArn?: string;
}

export interface FakeAccount {
  roles: FakeRole[];
  /** Managed policies that are not attached but may be a boundary. */
  policies?: FakeRole['managed'];
  pageSize?: number;
  /** Operations that answer AccessDenied. */
  deny?: string[];
}

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const enc = (doc: object): string => escapeXml(encodeURIComponent(JSON.stringify(doc)));

function ok(op: string, inner: string): EndpointReply {
  return {
    body: `<${op}Response xmlns="${NS}"><${op}Result>${inner}</${op}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${op}Response>`,
  };
}

function page<T>(items: T[], marker: string | undefined, size: number): { items: T[]; tail: string } {
  const start = marker ? Number(marker.replace('m', '')) : 0;
  const slice = items.slice(start, start + size);
  const next = start + size;
  const truncated = next < items.length;
  return { items: slice, tail: `<IsTruncated>${truncated}</IsTruncated>${truncated ? `<Marker>m${next}</Marker>` : ''}` };
}

export function iamHandler(account: FakeAccount): (req: RecordedRequest) => EndpointReply {
  const size = account.pageSize ?? 2;
  const allPolicies = (): FakeRole['managed'] => Object.assign({}, account.policies ?? {}, ...account.roles.map((r) => r.managed));
  return (req) => {
    const b = req.body as Record<string, string>;
    if (account.deny?.includes(req.operation)) {
      return queryError(403, 'AccessDenied', `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:${req.operation}`);
    }
    const role = account.roles.find((r) => r.name === b.RoleName);
    switch (req.operation) {
      case 'GetRole': {
        if (!role) return queryError(404, 'NoSuchEntity', `The role with name ${b.RoleName} cannot be found.`);
        const boundary = role.boundaryArn
          ? `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>${role.boundaryArn}</PermissionsBoundaryArn></PermissionsBoundary>`
          : '';
        return ok(
          'GetRole',
          `<Role><Path>/service-role/</Path><RoleName>${role.name}</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>${role.arn}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>${enc(role.trust)}</AssumeRolePolicyDocument>${boundary}</Role>`,
        );
      }
      case 'ListRolePolicies': {
        if (!role) return queryError(404, 'NoSuchEntity', 'no role');
        const p = page(Object.keys(role.inline), b.Marker, size);
        return ok('ListRolePolicies', `<PolicyNames>${p.items.map((n) => `<member>${n}</member>`).join('')}</PolicyNames>${p.tail}`);
      }
      case 'GetRolePolicy': {
        const doc = role?.inline[b.PolicyName];
        if (!role || !doc) return queryError(404, 'NoSuchEntity', 'no policy');
        return ok('GetRolePolicy', `<RoleName>${role.name}</RoleName><PolicyName>${b.PolicyName}</PolicyName><PolicyDocument>${enc(doc)}</PolicyDocument>`);
      }
      case 'ListAttachedRolePolicies': {
        if (!role) return queryError(404, 'NoSuchEntity', 'no role');
        const p = page(Object.entries(role.managed), b.Marker, size);
        const members = p.items.map(([arn, m]) => `<member><PolicyName>${m.name}</PolicyName><PolicyArn>${arn}</PolicyArn></member>`);
        return ok('ListAttachedRolePolicies', `<AttachedPolicies>${members.join('')}</AttachedPolicies>${p.tail}`);
      }
      case 'GetPolicy': {
        const m = allPolicies()[b.PolicyArn];
        if (!m) return queryError(404, 'NoSuchEntity', 'no policy');
        return ok('GetPolicy', `<Policy><PolicyName>${m.name}</PolicyName><Arn>${b.PolicyArn}</Arn><DefaultVersionId>${m.defaultVersion}</DefaultVersionId><AttachmentCount>1</AttachmentCount></Policy>`);
      }
      case 'GetPolicyVersion': {
        const doc = allPolicies()[b.PolicyArn]?.versions[b.VersionId];
        if (!doc) return queryError(404, 'NoSuchEntity', 'no version');
        return ok(
          'GetPolicyVersion',
          `<PolicyVersion><Document>${enc(doc)}</Document><VersionId>${b.VersionId}</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>`,
        );
      }
      default:
        return queryError(400, 'InvalidAction', `unexpected ${req.operation}`);
    }
  };
}
