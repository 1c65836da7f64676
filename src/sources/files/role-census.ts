// When --role matched nothing: which roles does the trail hold that come closest to the name typed? Runs only
// on that error path, over an even sample of the files (the workers skip files that do not name the role, so
// they never saw the others), and reads session issuer ARNs from the bytes without parsing the JSON.
import type { RoleSpec } from '../role-match.js';
import { readBytes } from './scan-file.js';

const SAMPLE_FILES = 64;
const MAX_ROLES = 10_000;
// The session issuer's "arn" (lower-case key: resources[] spell theirs "ARN"), with any path.
const ISSUER = /"arn"\s*:\s*"(arn:[a-z-]+:iam::\d{12}:role\/(?:[\x21\x23-\x5b\x5d-\x7e]*\/)?([\w+=,.@-]{1,64}))"/g;

/** Edit distance, case-insensitive: how far a role name is from the one typed. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

/** Up to `limit` role ARNs of the trail, the closest to the typed role's name first. */
export function closestRoles(files: string[], role: RoleSpec, limit = 3): { roles: string[]; sampled: number } {
  const step = Math.max(1, files.length / SAMPLE_FILES);
  const picked = [...new Set(Array.from({ length: Math.min(files.length, SAMPLE_FILES) }, (_, k) => files[Math.floor(k * step)]))];
  const arns = new Map<string, string>();
  for (const path of picked) {
    const { buf } = readBytes(path);
    if (!buf) continue;
    // JSON may write "/" as "\/".
    const text = buf.toString('latin1').replaceAll('\\/', '/');
    for (const m of text.matchAll(ISSUER)) {
      if (arns.size >= MAX_ROLES) break;
      arns.set(m[1], m[2]);
    }
  }
  const ranked = [...arns.entries()].map(([arn, name]) => ({ arn, d: distance(name, role.name) })).sort((a, b) => a.d - b.d || (a.arn < b.arn ? -1 : 1));
  return { roles: ranked.slice(0, limit).map((r) => r.arn), sampled: picked.length };
}
