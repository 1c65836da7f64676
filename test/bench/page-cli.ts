// `npx tsx test/bench/page-cli.ts <report.html>`: the bench's page measure alone, for a page already written.
import { formatPage, measurePage } from './page.js';

const path = process.argv[2];
if (!path) throw new Error('usage: tsx test/bench/page-cli.ts <report.html>');
process.stdout.write(formatPage(await measurePage(path)));
