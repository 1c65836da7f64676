// The files `generate --export` writes for one role, one renderer per format.
import type { BundleOptions, RoleBundle } from './bundle.js';
import { renderCloudFormationBundle } from './cloudformation-bundle.js';
import { renderTerraformBundle } from './terraform-bundle.js';

export type ExportFormat = 'terraform' | 'cloudformation';

export interface ExportFile {
  /** A file name without directory, e.g. "iam-role.tf". */
  name: string;
  content: string;
}

/**
 * The files to write for `generate --out <dir> --export <formats>`: `iam-role.tf` for Terraform, and
 * `iam-role.cfn.yaml` plus `iam-role.cfn.json` for CloudFormation. Writing them is the caller's job.
 */
export function exportFiles(b: RoleBundle, formats: ExportFormat[], options: BundleOptions = {}): ExportFile[] {
  const files: ExportFile[] = [];
  if (formats.includes('terraform')) files.push({ name: 'iam-role.tf', content: renderTerraformBundle(b, options) });
  if (formats.includes('cloudformation')) {
    files.push({ name: 'iam-role.cfn.yaml', content: renderCloudFormationBundle(b, 'yaml', options) });
    files.push({ name: 'iam-role.cfn.json', content: renderCloudFormationBundle(b, 'json', options) });
  }
  return files;
}
