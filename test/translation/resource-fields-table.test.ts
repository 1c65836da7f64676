// The generated resource-field table (src/translation/data/resource-fields.json): reproducible from its
// sources, faithful to the SDK->IAM map for the roles a call passes, and free of data containers (tags,
// environment, encryption context, attributes, policy documents...) except where the API really names a
// resource inside one (reviewed below).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import table from '../../src/translation/data/resource-fields.json' with { type: 'json' };
import { hasShared, sharedMissing, sharedPath } from '../support/shared.js';
import { repoPath } from '../support/paths.js';

type Fields = Record<string, string[]>;
const operations = (table as unknown as { operations: Record<string, Record<string, Fields>> }).operations;
const serviceFields = (table as unknown as { serviceFields: Record<string, Fields> }).serviceFields;
const MAP = sharedPath('conformance', 'iamlive-map', 'map.json.gz');

// Reviewed: these APIs name a resource inside a container whose name looks like data.
const REVIEWED = new Set([
  'autoscaling:CreateOrUpdateTags Tags[].ResourceId', // the Auto Scaling group each tag is put on
  'autoscaling:DeleteTags Tags[].ResourceId',
  'fms:PutPolicy Policy.PolicyId', // the Firewall Manager policy being updated
  'kinesisanalytics:AddApplicationInput Input.InputProcessingConfiguration.InputLambdaProcessor.RoleARN', // roles passed
  'kinesisanalytics:AddApplicationInput Input.KinesisStreamsInput.RoleARN',
  'kinesisanalytics:AddApplicationInput Input.KinesisFirehoseInput.RoleARN',
]);
const DATA = /(^|\.)(tags?|tagging|tagSpecifications|environment|variables|encryptionContext|messageAttributes?|attributes|policy|policyDocument|assumeRolePolicyDocument|input|parameters|metadata|x-amz-meta-[^.]*)(\[\])?(\.|$)/i;

describe('resource-fields.json', () => {
  it('names no data container as a resource field, except the reviewed ones', () => {
    const found: string[] = [];
    for (const [op, byAction] of Object.entries(operations))
      for (const fields of Object.values(byAction)) for (const paths of Object.values(fields)) for (const p of paths) if (DATA.test(p.split('|')[0])) found.push(`${op} ${p}`);
    for (const fields of Object.values(serviceFields)) for (const paths of Object.values(fields)) for (const p of paths) if (DATA.test(p.split('|')[0])) found.push(`service ${p}`);
    expect(found.filter((f) => !REVIEWED.has(f))).toEqual([]);
    expect(found.length).toBe(REVIEWED.size);
  });

  it.skipIf(!hasShared)('lists every role field the map passes as a plain field (except the sourced removals)', () => {
    const map = JSON.parse(gunzipSync(readFileSync(MAP)).toString('utf8')) as {
      sdk_method_iam_mappings: Record<string, Array<{ action: string; arn_override?: { template: string } }>>;
      sdk_service_mappings: Record<string, string>;
    };
    const overrides = JSON.parse(readFileSync(repoPath('scripts/resource-fields-overrides.json'), 'utf8')) as { removePassRole: Record<string, string> };
    let checked = 0;
    const missing: string[] = [];
    for (const [sdkOp, entries] of Object.entries(map.sdk_method_iam_mappings)) {
      const [svc, op] = [sdkOp.slice(0, sdkOp.indexOf('.')), sdkOp.slice(sdkOp.indexOf('.') + 1)];
      const key = `${map.sdk_service_mappings[svc] ?? entries[0]?.action.split(':')[0]}:${op}`;
      for (const e of entries) {
        const plain = e.action === 'iam:PassRole' ? /^\$\{([A-Za-z0-9_.[\]]+)\}$/.exec(e.arn_override?.template ?? '') : null;
        if (!plain || overrides.removePassRole[key]) continue;
        checked++;
        const listed = Object.values(operations[key]?.['iam:PassRole'] ?? {}).flat();
        if (!listed.includes(plain[1])) missing.push(`${key} ${plain[1]}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  });

  it.skipIf(!hasShared)('is reproduced byte for byte by scripts/gen-resource-fields.ts', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rf-')), 'resource-fields.json');
    execFileSync(process.execPath, ['--import', 'tsx', repoPath('scripts/gen-resource-fields.ts'), MAP, out], { stdio: 'ignore' });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(repoPath('src/translation/data/resource-fields.json'), 'utf8'));
  }, 120_000);
});

if (!hasShared) console.warn(sharedMissing);
