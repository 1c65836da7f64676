// Where each record of a {"Records":[...]} file starts and ends, and which records name the role, without
// decoding the file: the WebAssembly scanner (assembly/record-scan.ts) tracks strings and brackets exactly,
// so only the records that name the role need JSON.parse. Anything that is not plainly that shape returns
// undefined and the caller parses the whole file, which reports precisely what is wrong with it.
import { existsSync, readFileSync } from 'node:fs';
import { OperationFailed } from '../../errors.js';

interface ScanExports {
  memory: WebAssembly.Memory;
  hitCount: WebAssembly.Global;
  heapBase(): number;
  scan(input: number, len: number, starts: number, ends: number, maxValues: number, hits: number, maxHits: number, needle: number, needleLen: number): number;
}

export interface RecordIndex {
  /** Records in the file. */
  count: number;
  /**
   * The records to decode, in file order, as byte ranges [start, end) with their positions: those that
   * contain the needle, and those without a "userIdentity" object (so the caller can say what is wrong with
   * them). Every other record has an identity that does not name the role.
   */
  decode: { index: number; start: number; end: number }[];
}

let scanner: ScanExports | undefined;

function load(): ScanExports {
  if (scanner) return scanner;
  // From TypeScript sources (the tests) the module is the one `npm run build` put in dist/.
  const fromSource = import.meta.url.endsWith('.ts');
  const url = fromSource ? new URL('../../../dist/src/sources/files/record-scan.wasm', import.meta.url) : new URL('./record-scan.wasm', import.meta.url);
  if (!existsSync(url)) throw new OperationFailed(`${url.pathname} is missing: the package is incomplete; run \`npm run build\` in a checkout`);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(url)), { env: { abort: () => { throw new Error('record scanner aborted'); } } });
  scanner = instance.exports as unknown as ScanExports;
  return scanner;
}

const PAGE = 65536;
// The module's memory grows to the largest file a worker has indexed (at most MAX_TEXT_BYTES) and stays
// there for the worker's life; the output buffers double when a file has more records or hits.
let recordCapacity = 1 << 14;
let hitCapacity = 1 << 14;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Whether buf[from, to) is JSON white space around exactly the given ASCII punctuation, in order. */
function only(buf: Uint8Array, from: number, to: number, punctuation: string): boolean {
  let k = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (isSpace(c)) continue;
    if (k >= punctuation.length || c !== punctuation.charCodeAt(k)) return false;
    k++;
  }
  return k === punctuation.length;
}

const HEAD = /^[ \t\r\n]*\{[ \t\r\n]*"Records"[ \t\r\n]*:[ \t\r\n]*\[/;

/**
 * Indexes a UTF-8 file of CloudTrail's delivery shape, {"Records":[{...},...]}, finding the records whose
 * bytes contain `needle`. Undefined when the file is any other shape or does not balance.
 */
export function indexRecords(buf: Uint8Array, needle: Uint8Array): RecordIndex | undefined {
  if (needle.length < 2) throw new Error('the needle must be at least 2 bytes');
  const head = HEAD.exec(Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 256)).toString('latin1'));
  if (!head) return undefined;
  const ex = load();
  for (;;) {
    const base = (ex.heapBase() + 63) & ~63;
    const needleAt = base;
    // A role ARN may be long (paths reach 512 characters): the needle gets the room it needs.
    const starts = needleAt + ((needle.length + 63) & ~63);
    const ends = starts + recordCapacity * 4;
    const hits = ends + recordCapacity * 4;
    const input = hits + hitCapacity * 4;
    const padded = ((buf.length + 63) & ~63) + needle.length + 16;
    const need = input + padded;
    if (ex.memory.buffer.byteLength < need) ex.memory.grow(Math.ceil((need - ex.memory.buffer.byteLength) / PAGE));
    const mem = new Uint8Array(ex.memory.buffer);
    mem.set(needle, needleAt);
    mem.set(buf, input);
    mem.fill(0x20, input + buf.length, input + padded);
    const n = ex.scan(input, buf.length, starts, ends, recordCapacity, hits, hitCapacity, needleAt, needle.length);
    if (n === -2) {
      recordCapacity *= 2;
      continue;
    }
    if (n === -3) {
      hitCapacity *= 2;
      continue;
    }
    if (n < 0) return undefined;
    const i32 = new Int32Array(ex.memory.buffer);
    const s0 = starts >> 2;
    const e0 = ends >> 2;
    // The shape: '{"Records":[' then records separated by commas, then ']}', nothing else. A depth-3 value
    // anywhere else (under another key, or an array where a record should be) sends the file to the parser.
    if (n === 0) return only(buf, head[0].length, buf.length, ']}') ? { count: 0, decode: [] } : undefined;
    if (!only(buf, head[0].length, i32[s0], '')) return undefined;
    // The scanner negates the end of a record without a userIdentity object.
    const end = (r: number): number => Math.abs(i32[e0 + r]);
    for (let r = 0; r < n; r++) {
      if (buf[i32[s0 + r]] !== 0x7b || buf[end(r) - 1] !== 0x7d) return undefined;
      if (!only(buf, end(r), r + 1 < n ? i32[s0 + r + 1] : buf.length, r + 1 < n ? ',' : ']}')) return undefined;
    }
    const h0 = hits >> 2;
    const found = ex.hitCount.value as number;
    const decode: RecordIndex['decode'] = [];
    let h = 0;
    for (let r = 0; r < n; r++) {
      const start = i32[s0 + r];
      const stop = end(r);
      while (h < found && i32[h0 + h] < start) h++;
      const named = h < found && i32[h0 + h] < stop;
      if (named || i32[e0 + r] < 0) decode.push({ index: r, start, end: stop });
    }
    return { count: n, decode };
  }
}
