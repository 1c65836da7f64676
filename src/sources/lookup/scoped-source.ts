// The LookupEvents source as the CLI uses it: the CodeBuild project and builds (--project, --build,
// --last-builds) scope the lookup, their region and partition choose where to ask, and the project is
// fetched once for both the role (when no --role is given) and the read. Clients come from the caller.
import type { ProjectConfig } from '../../model.js';
import { fetchProject, type CodeBuildApi } from '../../project/builds.js';
import { splitProjectArn } from '../../project/project-config.js';
import { projectOf, scopeBuilds, type Scope } from '../../project/scope.js';
import { issuerMatches } from '../role-match.js';
import type { Source } from '../source.js';
import { drainStream } from '../stream-result.js';
import { openLookup } from './lookup-source.js';
import type { LookupClient } from './run-query.js';

/** Where the lookup source gets its clients (made at the CLI edge, with the profile and endpoints there). */
export interface LookupClients {
  /** The region to use when none is given (the SDK's, else AWS_DEFAULT_REGION); rejects when there is none. */
  region(): Promise<string>;
  codebuild(region: string): CodeBuildApi;
  /** One per region; retries are the source's own, so the client should not retry (maxAttempts 1). */
  cloudtrail(region: string): LookupClient;
}

export interface LookupScope {
  project?: string;
  buildIds?: string[];
  /** The last n builds of the project. */
  last?: number;
  /** Wait for CloudTrail delivery of builds that finished minutes ago. */
  wait?: boolean;
  /** The regions to read (default: the project's region, else the home region); the home region is the first. */
  regions?: string[];
}

export function lookupSource(clients: LookupClients, scope: LookupScope): Source {
  const name = projectOf(scope.project, scope.buildIds);
  // One BatchGetProjects per source: role(), then read().
  const fetched = new Map<string, Promise<ProjectConfig>>();
  const project = (region: string, projectName: string): Promise<ProjectConfig> => {
    const key = `${region}\n${projectName}`;
    let p = fetched.get(key);
    if (!p) fetched.set(key, (p = fetchProject(clients.codebuild(region), projectName, region)));
    return p;
  };
  const home = async (): Promise<string> => scope.regions?.[0] ?? (await clients.region());

  return {
    kind: 'lookup',
    async role() {
      if (!name) return undefined;
      return (await project(await home(), name)).serviceRole;
    },
    async read(query) {
      const region = await home();
      const fetchedProject = name ? await project(region, name) : undefined;
      let selected: Scope | undefined;
      if (name || scope.buildIds?.length || scope.last !== undefined) {
        selected = await scopeBuilds({
          client: clients.codebuild(region),
          fetched: fetchedProject,
          region,
          project: scope.project,
          buildIds: scope.buildIds,
          last: scope.last,
          since: query.since,
          until: query.until,
          wait: scope.wait === true,
          signal: query.signal,
          progress: query.progress,
        });
      }
      const warnings: string[] = [];
      const proj = selected?.projects[0];
      if (proj?.serviceRole && !issuerMatches(query.role, proj.serviceRole)) {
        warnings.push(`--role ${query.role.input} is not the service role of project ${proj.name} (${proj.serviceRole}); only --role's events are used`);
      }
      warnings.push(...(selected?.warnings ?? []));
      const partition = (proj && splitProjectArn(proj.arn)?.partition) ?? query.role.partition;
      const regions = scope.regions?.length ? scope.regions : [proj?.region ?? region];
      const out = openLookup({
        ...query,
        clientFor: (r) => clients.cloudtrail(r),
        regions,
        partition,
        builds: selected?.builds,
        projects: selected?.projects,
        warnings,
      });
      return drainStream(out, query.context);
    },
  };
}
