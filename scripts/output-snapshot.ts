/**
 * Pins every output of the CLI on the demo, each fixture scenario and (when present) the bench's medium corpus,
 * so a refactor can prove it changed no byte. Run it before and after:
 *
 *   npx tsx scripts/output-snapshot.ts --write before.json      # on the old code (after npm run build)
 *   npx tsx scripts/output-snapshot.ts --compare before.json    # on the new code; exit 1 on any difference
 *
 * It runs the built CLI (dist/cli.js), hashes every file each command writes plus its stdout, stderr and exit
 * code, and prints one line per difference. Add `--no-medium` to skip the 1M-record corpus (.bench/medium).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const DEMO_ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role';

interface Step { name: string; args: string[] }

function demoSteps(out: string): Step[] {
  const trail = join(ROOT, 'fixtures/demo/trail');
  const project = join(ROOT, 'fixtures/demo/project.json');
  const gen = join(out, 'demo');
  const genProject = join(out, 'demo-project');
  return [
    { name: 'demo/generate', args: ['generate', '--logs', trail, '--role', DEMO_ROLE, '--quiet', '--out', gen, '--export', 'terraform,cloudformation'] },
    { name: 'demo/generate-project', args: ['generate', '--logs', trail, '--role', DEMO_ROLE, '--quiet', '--project-file', project, '--out', genProject] },
    { name: 'demo/generate-exact', args: ['generate', '--logs', trail, '--role', DEMO_ROLE, '--quiet', '--resources', 'exact', '--format', 'json'] },
    { name: 'demo/generate-no-infer', args: ['generate', '--logs', trail, '--role', DEMO_ROLE, '--quiet', '--no-infer', '--min-builds', '2', '--format', 'json'] },
    { name: 'demo/verify', args: ['verify', '--policy', gen, '--logs', trail, '--role', DEMO_ROLE, '--quiet', '--format', 'json'] },
    { name: 'demo/verify-current', args: ['verify', '--policy', join(ROOT, 'fixtures/demo/current-policy.json'), '--logs', trail, '--role', DEMO_ROLE, '--quiet'] },
    ...['text', 'markdown', 'json', 'html'].map((format) => ({
      name: `demo/diff-${format}`,
      args: ['diff', '--proposed', gen, '--current', join(ROOT, 'fixtures/demo/current-policy.json'), '--evidence', join(gen, 'evidence.json'), '--format', format],
    })),
    { name: 'demo/export-terraform', args: ['export', join(gen, 'policy.json'), '--format', 'terraform'] },
    { name: 'demo/export-cloudformation', args: ['export', join(gen, 'policy.json'), '--format', 'cloudformation'] },
    { name: 'demo/audit', args: ['audit', '--project-file', project, '--evidence', join(gen, 'evidence.json'), '--format', 'json'] },
    { name: 'demo/self-policy', args: ['self-policy'] },
  ];
}

function scenarioSteps(out: string): Step[] {
  const dir = join(ROOT, 'fixtures/scenarios');
  return readdirSync(dir).sort().flatMap((name) => {
    const project = join(dir, name, 'project.json');
    const role = JSON.parse(readFileSync(project, 'utf8')).projects[0].serviceRole as string;
    const gen = join(out, 'scenario', name);
    return [
      { name: `scenario/${name}/generate`, args: ['generate', '--logs', join(dir, name, 'builds-1-3'), '--role', role, '--quiet', '--project-file', project, '--out', gen] },
      { name: `scenario/${name}/verify-build-4`, args: ['verify', '--policy', gen, '--logs', join(dir, name, 'build-4'), '--role', role, '--quiet', '--project-file', project] },
    ];
  });
}

function mediumSteps(out: string): Step[] {
  const dir = join(ROOT, '.bench/medium');
  if (!existsSync(join(dir, 'truth.json'))) return [];
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { roleArn: string };
  return [{ name: 'medium/generate', args: ['generate', '--logs', join(dir, 'AWSLogs'), '--role', truth.roleArn, '--quiet', '--out', join(out, 'medium')] }];
}

/** Paths differ between checkouts (and the temporary output folder between runs); the bytes around them must not. */
const placeless = (text: string, out: string): string => text.split(out).join('<out>').split(ROOT).join('<root>');

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

function main(): void {
  const argv = process.argv.slice(2);
  const write = argv[argv.indexOf('--write') + 1];
  const compare = argv[argv.indexOf('--compare') + 1];
  if (!argv.includes('--write') && !argv.includes('--compare')) {
    console.error('usage: output-snapshot.ts (--write FILE | --compare FILE) [--no-medium]');
    process.exit(2);
  }
  const out = mkdtempSync(join(tmpdir(), 'cbiam-snapshot-'));
  const steps = [...demoSteps(out), ...scenarioSteps(out), ...(argv.includes('--no-medium') ? [] : mediumSteps(out))];
  const hashes: Record<string, string> = {};
  for (const step of steps) {
    const started = Date.now();
    // A fixed clock and no colour: outputs must depend only on the input.
    const run = spawnSync(process.execPath, [CLI, ...step.args], { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 1 << 28 });
    const text = (b: Buffer): string => placeless(b.toString('utf8'), out);
    hashes[`${step.name} exit`] = String(run.status);
    hashes[`${step.name} stdout`] = sha(text(run.stdout));
    hashes[`${step.name} stderr`] = sha(text(run.stderr));
    process.stderr.write(`${step.name}: exit ${run.status} (${Date.now() - started} ms)\n`);
  }
  for (const file of filesUnder(out)) hashes[`file ${file}`] = sha(placeless(readFileSync(join(out, file), 'utf8'), out));
  rmSync(out, { recursive: true, force: true });

  if (argv.includes('--write')) {
    writeFileSync(write, `${JSON.stringify(hashes, null, 2)}\n`);
    console.log(`${Object.keys(hashes).length} hashes written to ${relative(process.cwd(), write)}`);
    return;
  }
  const before = JSON.parse(readFileSync(compare, 'utf8')) as Record<string, string>;
  const skipped = (k: string): boolean => argv.includes('--no-medium') && /(^| )medium\//.test(k);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(hashes)])].filter((k) => !skipped(k)).sort();
  const differ = keys.filter((k) => before[k] !== hashes[k]);
  for (const k of differ) console.log(`DIFFERS ${k}: ${before[k] ?? '(absent)'} -> ${hashes[k] ?? '(absent)'}`);
  console.log(`${keys.length - differ.length} of ${keys.length} outputs byte-identical`);
  process.exit(differ.length === 0 ? 0 : 1);
}

main();
