import { readFile } from 'node:fs/promises';
import type { ExportFlags } from '../shared/flags.js';
import { InputError } from '../errors.js';
import { policyToCloudFormation } from '../../src/rendering/cloudformation.js';
import { policyToTerraform } from '../../src/rendering/terraform.js';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';

/** Policy documents are a few KiB; anything far larger is not one, and is not read into memory whole. */
const MAX_BYTES = 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BYTES) throw new InputError('stdin holds more than 1 MiB, which is no IAM policy document; pass the policy JSON');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(file: string): Promise<string> {
  if (file === '-') return readStdin();
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`cannot read ${file} (${code}); pass a readable JSON file, or - for stdin`);
  }
  if (buf.length > MAX_BYTES) throw new InputError(`${file} is larger than 1 MiB, which is no IAM policy document; pass the policy JSON`);
  return buf.toString('utf8');
}

export async function runExport(file: string, flags: ExportFlags): Promise<void> {
  const where = file === '-' ? 'stdin' : file;
  const doc = parsePolicyDocument(await readInput(file), where);
  const text =
    flags.format === 'terraform'
      ? policyToTerraform(doc, flags.name, { interpolations: flags.literal ? 'literal' : 'keep' })
      : policyToCloudFormation(doc, flags.name, flags.cfnFormat);
  process.stdout.write(text);
}
