// Every check, in report order: layer 1 to 5, then webhooks.
import * as data from './checks/data.js';
import * as iam from './checks/iam.js';
import * as network from './checks/network.js';
import * as runtime from './checks/runtime.js';
import * as visibility from './checks/visibility.js';
import * as webhook from './checks/webhook.js';
import type { Check } from './model.js';

export const CHECKS: readonly Check[] = [
  network.vpcCheck,
  network.privateSubnetCheck,
  network.endpointsCheck,
  network.egressCheck,
  iam.broadPolicyCheck,
  iam.boundaryCheck,
  iam.trustCheck,
  iam.sharedRoleCheck,
  iam.unusedCheck,
  data.artifactEncryptionCheck,
  data.cacheEncryptionCheck,
  data.s3LogsEncryptionCheck,
  data.plaintextSecretCheck,
  data.sourceCredentialsCheck,
  runtime.privilegedCheck,
  runtime.imageOriginCheck,
  runtime.imageDigestCheck,
  runtime.ecrScanCheck,
  runtime.buildspecCheck,
  visibility.logsCheck,
  visibility.trailManagementCheck,
  visibility.trailDataCheck,
  visibility.alarmCheck,
  webhook.anchoredCheck,
  webhook.prActorCheck,
  webhook.publicCheck,
  webhook.githubOrgCheck,
];
