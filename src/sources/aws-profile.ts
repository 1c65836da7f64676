// A named AWS profile that does not exist makes the SDK say only "Could not load credentials from any
// providers" (and the region lookup fails first when the profile was to give it): say that the profile is
// missing, and where it was looked for, before any AWS call. Read with the SDK's own loader, so the files
// and names are the ones the SDK would use.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseKnownFiles } from '@smithy/core/config';
import { NotFound, opt, say } from '../errors.js';

export async function assertProfileExists(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // AWS_PROFILE is used for credentials only when the environment holds none of its own.
  const name = flag ?? (env.AWS_ACCESS_KEY_ID ? undefined : env.AWS_PROFILE);
  if (!name) return;
  const profiles = await parseKnownFiles({ profile: name });
  if (Object.hasOwn(profiles, name)) return;
  const config = env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials');
  const from = flag !== undefined ? opt('profile') : 'AWS_PROFILE';
  throw new NotFound(
    say`the AWS profile ${JSON.stringify(name)} does not exist in ${config} or ${credentials} (named by ${from}); list the profiles with \`aws configure list-profiles\``,
    { missing: 'AWS profile', value: name, ...(flag !== undefined && { option: 'profile' as const }) },
  );
}
