// Turns an AWS SDK error on one of the tool's own calls into a one-line AwsFailure that names
// the permission or the credentials problem, so the user knows what to grant or refresh.
import { AwsFailure, CodebuildIamError, opt, say } from '../../errors.js';
import { errorCode, isThrottle } from '../rate-limit-retry.js';

const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException', 'NotAuthorized']);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken']);

/**
 * @param action the IAM action of the call, e.g. "cloudtrail:LookupEvents"
 * @param region the region called
 */
export function awsFailure(err: unknown, action: string, region: string): CodebuildIamError {
  if (err instanceof CodebuildIamError) return err;
  const code = errorCode(err);
  const where = `${action} in ${region}`;
  if (code === 'CredentialsProviderError' || /could not load credentials/i.test(String((err as Error)?.message ?? ''))) {
    return new AwsFailure(
      say`no AWS credentials found for ${where}; configure them as for the AWS CLI (environment, ${opt('profile')}, SSO, instance role) and rerun`,
      { operation: action, code },
    );
  }
  if (DENIED.has(code)) {
    return new AwsFailure(`AWS denied ${where}; grant it to the caller (codebuild-iam self-policy prints what the tool needs)`, { operation: action, code });
  }
  if (EXPIRED.has(code)) {
    return new AwsFailure(`the AWS credentials have expired (${code}) calling ${where}; refresh them (e.g. aws sso login) and rerun`, { operation: action, code });
  }
  if (INVALID.has(code)) {
    return new AwsFailure(`AWS rejected the credentials (${code}) calling ${where}; check the access key, profile and region`, { operation: action, code });
  }
  if (isThrottle(err)) {
    return new AwsFailure(`AWS kept throttling ${where} (${code}) after repeated retries; wait a minute and rerun`, { operation: action, code });
  }
  const message = String((err as Error)?.message ?? err).split('\n')[0];
  return new AwsFailure(`${where} failed: ${code ? `${code}: ` : ''}${message}`, { operation: action, code });
}
