import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DiffFlags } from '../shared/flags.js';
import { CheckFailed, InputError } from '../errors.js';
import type { DocumentSet, NamedDocument } from '../../src/diff/allowance.js';
import { diffDocuments } from '../../src/diff/diff.js';
import { proposalFiles, roleDocumentSet } from '../../src/diff/documents.js';
import { parsePolicyDocument, type PolicyKind } from '../../src/iam/policy-document.js';
import { parseJsonText } from '../../src/json-text.js';
import { renderJson } from '../../src/diff/render-json.js';
import { renderDiffHtml } from '../../src/diff/render-html.js';
import { renderMarkdown } from '../../src/diff/render-markdown.js';
import { renderText } from '../../src/diff/render-text.js';
import { parseEvidence } from '../../src/diff/usage.js';
import { palette } from '../shared/colour.js';
import { colourDiffText } from '../shared/diff-colour.js';

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${path} (${code ?? 'error'}); check the path`);
  }
}

async function readPolicy(path: string, what: string, kind: PolicyKind = 'identity'): Promise<NamedDocument> {
  return { name: basename(path), document: parsePolicyDocument(await readText(path, what), path, kind) };
}

/** A `generate --out` directory (policy*.json, boundary.json, trust.json) or a single policy file. */
async function readDocuments(path: string, flag: '--proposed' | '--current'): Promise<DocumentSet> {
  const side = flag === '--proposed' ? 'proposed' : 'current';
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new InputError(`${flag} ${path} does not exist; pass a \`generate --out\` directory or a policy file`);
  if (!info.isDirectory()) return { identity: [await readPolicy(path, `the ${side} policy`)] };
  const files = proposalFiles(await readdir(path));
  if (!files.policies.length) throw new InputError(`${flag} ${path} has no policy.json; pass the directory written by \`generate --out\``);
  const identity = await Promise.all(files.policies.map((f) => readPolicy(join(path, f), `the ${side} policy`)));
  const boundary = files.boundary ? await readPolicy(join(path, files.boundary), `the ${side} boundary`) : undefined;
  const trust = files.trust ? (await readPolicy(join(path, files.trust), `the ${side} trust policy`, 'resource')).document : undefined;
  return { identity, ...(boundary ? { boundary } : {}), ...(trust ? { trust } : {}) };
}

export async function runDiff(flags: DiffFlags, _globals: { debug?: boolean }): Promise<void> {
  if (!flags.proposed) throw new InputError('diff needs --proposed <dir-or-file> (the directory written by `generate --out`, or a policy file)');
  if (!flags.role === !flags.current?.length) throw new InputError('diff needs exactly one of --role <name-or-arn> (the live role) or --current <file> (policy files)');
  if (flags.currentBoundary && flags.role) throw new InputError('--current-boundary goes with --current; with --role the boundary is read from the role');

  const proposed = await readDocuments(flags.proposed, '--proposed');
  const evidence = flags.evidence ? parseEvidence(parseJsonText(await readText(flags.evidence, 'the evidence file'), flags.evidence, 'pass the evidence.json written by `generate --out`'), flags.evidence) : undefined;

  let current: DocumentSet;
  let currentSource: string;
  if (flags.role) {
    const [{ IAMClient }, { readRole }, { awsClients }] = await Promise.all([import('@aws-sdk/client-iam'), import('../../src/role/read-role.js'), import('../aws-clients.js')]);
    // IAM is global; the region only picks the signing region and endpoint (us-east-1 when nothing names one).
    const clients = await awsClients({ profile: flags.profile, region: flags.region });
    const iam = clients.make(IAMClient, await clients.region('us-east-1'));
    const role = await readRole(iam, flags.role).finally(() => clients.destroy());
    current = roleDocumentSet(role);
    currentSource = role.roleArn;
  } else {
    // Each --current is a policy file or a `generate --out` directory (e.g. the base branch's copy).
    const files = flags.current ?? [];
    const sets = await Promise.all(files.map((f) => readDocuments(f, '--current')));
    const boundaries = sets.flatMap((s) => (s.boundary ? [s.boundary] : []));
    if (boundaries.length + (flags.currentBoundary ? 1 : 0) > 1) throw new InputError('the current documents have more than one boundary; a role has at most one');
    const boundary = flags.currentBoundary ? await readPolicy(flags.currentBoundary, 'the current boundary') : boundaries[0];
    const trust = sets.find((s) => s.trust)?.trust;
    current = { identity: sets.flatMap((s) => s.identity), ...(boundary ? { boundary } : {}), ...(trust ? { trust } : {}) };
    currentSource = [...files, ...(flags.currentBoundary ? [flags.currentBoundary] : [])].join(', ');
  }

  const report = await diffDocuments({ current, proposed, currentSource, proposedSource: flags.proposed, ...(evidence ? { evidence } : {}) });
  const renderers = { json: renderJson, markdown: renderMarkdown, html: renderDiffHtml, text: renderText };
  const text = renderers[flags.format](report);
  if (flags.out) {
    await writeFile(flags.out, text).catch((e: NodeJS.ErrnoException) => {
      throw new InputError(`--out ${flags.out} cannot be written (${e.code ?? 'error'}); give a file path in a directory that exists`);
    });
  } else process.stdout.write(flags.format === 'text' ? colourDiffText(text, report.verdict, palette(process.stdout)) : text);
  if (flags.failOnWiden && report.verdict === 'widens') {
    throw new CheckFailed(`the proposal widens the role (${report.widening.length} action(s)${report.trust?.widened.length ? ', trust policy' : ''}); see the report`);
  }
}
