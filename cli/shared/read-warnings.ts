// What the reader could not use and that may hide the role's records, said on stderr as well as in the
// report: a file too large (or a gzip bomb) or unreadable could hold any role's records, and an entry that
// is not a regular file was never opened.
import type { Evidence } from '../../src/model.js';
import { printWarning } from '../report-error.js';

const HIDING = ['too-large', 'unreadable-file'] as const;

export function warnHiddenInput(read: Evidence['read'], loud: string[]): void {
  for (const w of loud) printWarning(w);
  for (const reason of HIDING) {
    const n = read.fileProblems[reason] ?? 0;
    if (n === 0) continue;
    const named = read.notes.filter((x) => x.reason === reason).slice(0, 3);
    const examples = named.map((x) => `${x.where} (${x.detail})`).join('; ');
    printWarning(
      `${n} file(s) were not read (${reason}) and may hold the role's records: ${examples}${n > named.length ? '; ...' : ''}; the policy may lack what they show (see report.md, or fix the files and run again)`,
    );
  }
}
