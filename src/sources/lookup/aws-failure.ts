// Turns an AWS SDK error on one of the tool's own calls into a one-line RuntimeFailure (exit 3) that names
// the permission or the credentials problem, so the user knows what to grant or refresh.
import { CliError, RuntimeFailure } from '../../errors.js';
import { errorCode, isThrottle } from '../rate-limit-retry.js';

const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException', 'NotAuthorized']);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken']);

/**
 * @param action the IAM action of the call, e.g. "cloudtrail:LookupEvents"
 * @param region the region called
 */
export function awsFailure(err: unknown, action: string, region: string): CliError {
  if (err instanceof CliError) return err;
  const code = errorCode(err);
  const where = `${action} in ${region}`;
  if (code === 'CredentialsProviderError' || /could not load credentials/i.test(String((err as Error)?.message ?? ''))) {
    return new RuntimeFailure(
      `no AWS credentials found for ${where}; configure them as for the AWS CLI (environment, --profile, SSO, instance role) and rerun`,
    );
  }
  if (DENIED.has(code)) {
    return new RuntimeFailure(`AWS denied ${where}; grant it to the caller (codebuild-iam self-policy prints what the tool needs)`);
  }
  if (EXPIRED.has(code)) {
    return new RuntimeFailure(`the AWS credentials have expired (${code}) calling ${where}; refresh them (e.g. aws sso login) and rerun`);
  }
  if (INVALID.has(code)) {
    return new RuntimeFailure(`AWS rejected the credentials (${code}) calling ${where}; check the access key, profile and region`);
  }
  if (isThrottle(err)) {
    return new RuntimeFailure(`AWS kept throttling ${where} (${code}) after repeated retries; wait a minute and rerun`);
  }
  const message = String((err as Error)?.message ?? err).split('\n')[0];
  return new RuntimeFailure(`${where} failed: ${code ? `${code}: ` : ''}${message}`);
}
