// Every AWS client the CLI uses is made here, configured as the AWS CLI would be: the default credential
// chain, --profile (credentials, region and endpoint_url of that profile), --region, else AWS_REGION or the
// profile's region, else AWS_DEFAULT_REGION. Endpoints are never set in code: the SDK applies
// AWS_ENDPOINT_URL[_<SERVICE>] (and a profile's endpoint_url) itself, which is how the tests' fake endpoints
// are reached. Library code receives these clients; it never makes its own.
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import { InputError } from './errors.js';
import { assertProfileExists } from '../src/sources/aws-profile.js';

/** What the SDK clients' constructors take from us. */
export interface ClientConfig {
  region?: string;
  profile?: string;
  maxAttempts?: number;
}

/** Any SDK v3 client class (CodeBuildClient, IAMClient, ...), passed in so each command loads only its own. */
export type ClientClass<C> = new (config: ClientConfig) => C & { destroy(): void };

export interface AwsClients {
  /**
   * --region (the first one), else the SDK's region (AWS_REGION, the profile's), else AWS_DEFAULT_REGION, else
   * `fallback`; an input error when there is none.
   */
  region(fallback?: string): Promise<string>;
  /** A client of `Class` for `region` (default: the SDK's own choice, see region()); one per class, region and option set. */
  make<C>(Class: ClientClass<C>, region?: string, options?: { maxAttempts?: number }): C;
  /** Destroys every client made (their sockets would keep the process alive). */
  destroy(): void;
}

export interface AwsClientOptions {
  profile?: string;
  /** The regions of --region; the first is the clients' default. */
  region?: string | string[];
}

export const NO_REGION = 'no AWS region: pass --region, set AWS_REGION, or set region in the AWS profile';

/** Checks that a named profile exists (before any AWS call), then returns the factory. */
export async function awsClients(options: AwsClientOptions): Promise<AwsClients> {
  const env = process.env;
  await assertProfileExists(options.profile);
  const profile = options.profile;
  // The SDK's `profile` option selects credentials and region, but its endpoint resolution reads only
  // AWS_PROFILE (checked with the installed SDK: a profile's endpoint_url is ignored otherwise), so the
  // profile is also put in AWS_PROFILE for this one-shot process.
  if (profile && env.AWS_PROFILE !== profile) env.AWS_PROFILE = profile;
  const given = Array.isArray(options.region) ? options.region[0] : options.region;
  const made = new Map<unknown, Map<string, { destroy(): void }>>();
  let found: Promise<string | undefined> | undefined;
  return {
    async region(fallback) {
      found ??= (async () => {
        if (given) return given;
        try {
          const r = await loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...(profile ? { profile } : {}) })();
          if (r) return r;
        } catch {
          // The SDK found no region; the AWS CLI would still read AWS_DEFAULT_REGION.
        }
        return env.AWS_DEFAULT_REGION || undefined;
      })();
      const region = (await found) ?? fallback;
      if (!region) throw new InputError(NO_REGION);
      return region;
    },
    make<C>(Class: ClientClass<C>, r?: string, opts: { maxAttempts?: number } = {}): C {
      const config: ClientConfig = { ...((r ?? given) ? { region: r ?? given } : {}), ...(profile ? { profile } : {}), ...opts };
      const key = JSON.stringify(config);
      let byConfig = made.get(Class);
      if (!byConfig) made.set(Class, (byConfig = new Map()));
      let client = byConfig.get(key);
      if (!client) byConfig.set(key, (client = new Class(config)));
      return client as C;
    },
    destroy() {
      for (const byConfig of made.values()) for (const c of byConfig.values()) c.destroy();
      made.clear();
    },
  };
}
