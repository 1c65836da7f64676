// Decompression floor, one child process: gunzips every file named in the list file (argv[2]) and discards
// the output. The bench starts one per core, so the floor is what the tool could at best do on this machine.
// It inflates the way the reader does (src/sources/files/scan-file.ts, outputChunk): into one buffer of the
// size the gzip trailer records, which is about 30% faster than zlib's default 16 KB chunks.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

let bytes = 0;
for (const path of readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (path === '') continue;
  const buf = readFileSync(path);
  const size = buf.length >= 18 ? buf.readUInt32LE(buf.length - 4) : 0;
  const chunkSize = Math.max(Math.min(size, buf.length * 1032, 400 * 1024 * 1024) + 64, 64 * 1024);
  bytes += path.endsWith('.gz') ? gunzipSync(buf, { chunkSize }).length : buf.length;
}
process.stdout.write(`${bytes}\n`);
