// Every check, in report order: layer 1 to 5, then webhooks; each layer's table says what its checks are.
import { DATA_CHECKS } from './checks/data.js';
import { IAM_CHECKS } from './checks/iam.js';
import { NETWORK_CHECKS } from './checks/network.js';
import { RUNTIME_CHECKS } from './checks/runtime.js';
import { VISIBILITY_CHECKS } from './checks/visibility.js';
import { WEBHOOK_CHECKS } from './checks/webhook.js';
import type { Check } from './model.js';

export const CHECKS: readonly Check[] = [...NETWORK_CHECKS, ...IAM_CHECKS, ...DATA_CHECKS, ...RUNTIME_CHECKS, ...VISIBILITY_CHECKS, ...WEBHOOK_CHECKS];
