// AssemblyScript, compiled to WebAssembly by `npm run build` (not by tsc). Stage one of a JSON reader, 64
// bytes at a time with SIMD, after simdjson's: where every value at depth 3 (each record of
// {"Records":[...]}) starts and ends, and where a needle (the role's name) occurs. Quotes, backslash escapes
// and brackets inside strings are tracked exactly, so text inside a string can never open or close a record.

/** Needle hits found by the last call of scan. */
export let hitCount: i32 = 0;

/** First free byte after the module's own data: the caller lays out its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}

@inline function bits(v: v128): u64 {
  return <u64>i8x16.bitmask(v);
}

@inline function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

/** Whether the object opening at `at` is the value of the key "userIdentity" (white space allowed). */
function isIdentityValue(input: usize, at: i32): bool {
  let j = at - 1;
  while (j > 0 && isSpace(load<u8>(input + <usize>j))) j--;
  if (load<u8>(input + <usize>j) != 0x3a) return false; // ':'
  j--;
  while (j > 0 && isSpace(load<u8>(input + <usize>j))) j--;
  // '"userIdentity"' ends at j: 14 bytes, and its first quote must not be escaped (a longer key that ends
  // in \"userIdentity). In valid JSON an unescaped quote there opens the key; a duplicate key later in the
  // record is not looked for (JSON.parse would keep the last), which at worst files an unreadable record
  // of another principal under other-principal.
  if (j < 14) return false;
  const k = input + <usize>(j - 13);
  return load<u64>(k) == 0x6564497265737522 && load<u32>(k + 8) == 0x7469746e && load<u16>(k + 12) == 0x2279 && load<u8>(k - 1) != 0x5c;
}

@inline function same(a: usize, b: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/**
 * Scans `len` bytes at `input`, which the caller pads with spaces to a multiple of 64 plus `needleLen` + 16.
 * Writes the offset of the opening bracket of every depth-3 value to `starts`, one past its closing bracket
 * to `ends` (negated when the value has no "userIdentity" object among its own keys), and every offset of the needle (at least 2 bytes) to `hits`. Returns the number of
 * depth-3 values; -1 when strings or brackets do not balance; -2 or -3 when `starts` or `hits` is full.
 */
export function scan(input: usize, len: i32, starts: usize, ends: usize, maxValues: i32, hits: usize, maxHits: i32, needle: usize, needleLen: i32): i32 {
  const vQuote = i8x16.splat(0x22);
  const vSlash = i8x16.splat(0x5c);
  // '{' 0x7b and '[' 0x5b differ only in bit 0x20, as do '}' 0x7d and ']' 0x5d: one compare finds both.
  const vCase = i8x16.splat(0x20);
  const vOpen = i8x16.splat(0x7b);
  const vClose = i8x16.splat(0x7d);
  const vFirst = i8x16.splat(load<u8>(needle));
  const vSecond = i8x16.splat(load<u8>(needle + 1));
  const vLast = i8x16.splat(load<u8>(needle + needleLen - 1));
  const lastAt = <usize>(needleLen - 1);
  const head8 = needleLen >= 8;
  const head = head8 ? load<u64>(needle) : 0;
  let depth: i32 = 0;
  let values: i32 = 0;
  let identity = false;
  let found: i32 = 0;
  let carryEscape: u64 = 0;
  let inString: u64 = 0;
  for (let off: i32 = 0; off < len; off += 64) {
    const p = input + <usize>off;
    let quote: u64 = 0;
    let slash: u64 = 0;
    let open: u64 = 0;
    let close: u64 = 0;
    let maybe: u64 = 0;
    for (let k = 0; k < 4; k++) {
      const q = p + (<usize>k << 4);
      const v = v128.load(q);
      const folded = v128.or(v, vCase);
      const shift = <u64>(k << 4);
      quote |= bits(i8x16.eq(v, vQuote)) << shift;
      slash |= bits(i8x16.eq(v, vSlash)) << shift;
      open |= bits(i8x16.eq(folded, vOpen)) << shift;
      close |= bits(i8x16.eq(folded, vClose)) << shift;
      const firstTwo = v128.and(i8x16.eq(v, vFirst), i8x16.eq(v128.load(q + 1), vSecond));
      maybe |= bits(v128.and(firstTwo, i8x16.eq(v128.load(q + lastAt), vLast))) << shift;
    }
    // A backslash that is not itself escaped escapes the byte after it. Backslashes are rare in trail
    // logs, so they are walked one by one, in order, carrying into the next block.
    let escaped: u64 = carryEscape;
    carryEscape = 0;
    let s = slash;
    while (s != 0) {
      const bit = s & (~s + 1);
      if ((escaped & bit) == 0) {
        if (bit == 0x8000000000000000) carryEscape = 1;
        else escaped |= bit << 1;
      }
      s ^= bit;
    }
    // Bytes inside strings: prefix XOR of the unescaped quotes, continuing the previous block's state.
    let str = quote & ~escaped;
    str ^= str << 1;
    str ^= str << 2;
    str ^= str << 4;
    str ^= str << 8;
    str ^= str << 16;
    str ^= str << 32;
    str ^= inString;
    inString = <u64>(<i64>str >> 63);
    let structural = (open | close) & ~str;
    while (structural != 0) {
      const t = <i32>ctz(structural);
      if ((open >> <u64>t) & 1) {
        depth++;
        if (depth == 3) {
          if (values >= maxValues) return -2;
          store<i32>(starts + (<usize>values << 2), off + t);
          identity = false;
        } else if (depth == 4 && !identity && load<u8>(p + <usize>t) == 0x7b) {
          identity = isIdentityValue(input, off + t);
        }
      } else {
        if (depth == 3) {
          store<i32>(ends + (<usize>values << 2), identity ? off + t + 1 : -(off + t + 1));
          values++;
        }
        depth--;
        if (depth < 0) return -1;
      }
      structural &= structural - 1;
    }
    while (maybe != 0) {
      const at = off + <i32>ctz(maybe);
      const a = input + <usize>at;
      if (at + needleLen <= len && (!head8 || load<u64>(a) == head) && same(a, needle, needleLen)) {
        if (found >= maxHits) return -3;
        store<i32>(hits + (<usize>found << 2), at);
        found++;
      }
      maybe &= maybe - 1;
    }
  }
  hitCount = found;
  if (inString != 0 || depth != 0) return -1;
  return values;
}
