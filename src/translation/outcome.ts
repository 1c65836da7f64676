// Which error codes mean "the caller was not authorized". Those calls are kept apart and never granted; any
// other error (ResourceAlreadyExists, NoSuchKey, Throttling...) happened after authorization succeeded.
import type { Outcome } from '../model.js';

const DENIED = /^(Client\.)?(AccessDenied\w*|UnauthorizedOperation|UnauthorizedAccess\w*|Unauthorized\w*|AuthorizationError|AuthorizationErrorException|Forbidden\w*|NotAuthorized\w*|InvalidClientTokenId|AccessDeniedException|403)$/i;

export function classifyOutcome(errorCode: unknown): Outcome {
  if (errorCode === undefined || errorCode === null || errorCode === '') return 'allowed';
  if (typeof errorCode !== 'string') return 'failed';
  return DENIED.test(errorCode.trim()) ? 'denied' : 'failed';
}
