// Condition values that a request carries because of the resource it acts on, but that CloudTrail does not
// record on the call itself. ec2:CreateNetworkInterfacePermission carries ec2:Subnet (the ENI's subnet),
// yet its record names only the ENI: granted from the trail alone it allows ENIs in any subnet, beside the
// statement that --project-file infers with ec2:Subnet. Such a call gets the values of its builds' own
// records (the subnet of the CreateNetworkInterface call of the same build) or, failing those, the values
// the project configuration gives for the same need; so an inferred and an observed statement for one
// need have the same, stricter, conditions. Used on generate's evidence and on verify's replayed requests.
import { parseArn } from '../iam/arn.js';
import type { Fact } from '../model.js';

interface ResourceCondition {
  /** The action whose requests carry the key. */
  action: string;
  key: string;
  /** The call of the same build that names the value, and the resource of it that is the value. */
  source: { action: string; resource: RegExp };
}

// ec2:Subnet on CreateNetworkInterfacePermission: the IAM reference lists the key for the network-interface
// resource type, and CodeBuild's documented VPC policy scopes the permission with it.
const RESOURCE_CONDITIONS: ResourceCondition[] = [
  {
    action: 'ec2:CreateNetworkInterfacePermission',
    key: 'ec2:Subnet',
    source: { action: 'ec2:CreateNetworkInterface', resource: /^arn:[^:]+:ec2:[^:]*:\d{12}:subnet\/subnet-[0-9a-f]+$/ },
  },
];

/** "arn:partition:service:region:account" of an ARN: values are taken from the same region and account only. */
const scopeOf = (resource: string): string => {
  const arn = parseArn(resource);
  return arn ? `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}` : resource;
};

export interface ResourceConditionResult {
  facts: Fact[];
  /** Observed needs that stay without the key: no build record and no project configuration names a value. */
  unresolved: Fact[];
}

/** Values per rule, indexed once: by (scope, build) from the builds' own records, by scope from the project. */
interface RuleIndex {
  byBuild: Map<string, Set<string>>;
  inferred: Map<string, Set<string>>;
}

function indexRule(rc: ResourceCondition, facts: Fact[]): RuleIndex {
  const byBuild = new Map<string, Set<string>>();
  const inferred = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, v: string): void => {
    const set = m.get(k) ?? new Set<string>();
    set.add(v);
    m.set(k, set);
  };
  for (const g of facts) {
    if (g.action === rc.source.action && g.outcome !== 'denied' && g.origin !== 'inferred' && rc.source.resource.test(g.resource)) {
      for (const b of g.builds) add(byBuild, `${scopeOf(g.resource)}\u0000${b}`, g.resource);
    } else if (g.action === rc.action && g.origin === 'inferred' && g.context[rc.key] !== undefined) {
      add(inferred, scopeOf(g.resource), g.context[rc.key]);
    }
  }
  return { byBuild, inferred };
}

export function addResourceConditions(facts: Fact[]): ResourceConditionResult {
  const unresolved: Fact[] = [];
  const out: Fact[] = [];
  // Indexed once per rule: a 1M-record trail has thousands of ENIs, and a scan of every fact per ENI took
  // seconds.
  const indexes = new Map<ResourceCondition, RuleIndex>();
  const indexOf = (rc: ResourceCondition): RuleIndex => {
    let ix = indexes.get(rc);
    if (!ix) indexes.set(rc, (ix = indexRule(rc, facts)));
    return ix;
  };
  for (const f of facts) {
    const rc = RESOURCE_CONDITIONS.find((c) => c.action === f.action);
    if (!rc || f.origin === 'inferred' || f.outcome === 'denied' || f.context[rc.key] !== undefined || f.resource === '*') {
      out.push(f);
      continue;
    }
    const ix = indexOf(rc);
    const scope = scopeOf(f.resource);
    let values = new Set<string>();
    for (const b of f.builds) for (const v of ix.byBuild.get(`${scope}\u0000${b}`) ?? []) values.add(v);
    if (values.size === 0) values = ix.inferred.get(scope) ?? values;
    const distinct = [...values].sort();
    if (distinct.length === 0) {
      unresolved.push(f);
      out.push(f);
      continue;
    }
    // One fact per value: each request carried exactly one. The events of the call are each value's.
    for (const v of distinct) out.push({ ...f, context: { ...f.context, [rc.key]: v } });
  }
  return { facts: out, unresolved };
}

/** One warning per action whose observed grant stays without the key, for the report. */
export function unresolvedWarnings(unresolved: Fact[]): string[] {
  const byAction = new Map<string, number>();
  for (const f of unresolved) byAction.set(f.action, (byAction.get(f.action) ?? 0) + 1);
  return [...byAction.entries()].sort().map(([action, n]) => {
    const key = RESOURCE_CONDITIONS.find((c) => c.action === action)?.key ?? '';
    return `${action} is granted without ${key} on ${n} resource(s): neither a record of the same builds nor --project-file names the value; give --project-file to scope it`;
  });
}
