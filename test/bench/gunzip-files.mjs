// Decompression floor, one child process: gunzips every file named in the list file (argv[2]) and discards
// the output. The bench starts one per core, so the floor is what the tool could at best do on this machine.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

let bytes = 0;
for (const path of readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (path === '') continue;
  const buf = readFileSync(path);
  bytes += path.endsWith('.gz') ? gunzipSync(buf).length : buf.length;
}
process.stdout.write(`${bytes}\n`);
