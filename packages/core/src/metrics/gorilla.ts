import { isStaleBits } from './bytes';

/**
 * Gorilla compression (Pelkonen et al., VLDB 2015) of one series' samples: timestamps as
 * delta-of-delta in variable-width buckets, values XORed with the previous value and stored as
 * the meaningful bits only. Regular scrapes of slowly changing values take ~1–2 bytes a sample.
 */
class BitWriter {
  private bytes = new Uint8Array(256);
  private bit = 0;

  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) this.writeBit(Math.floor(value / 2 ** i) % 2);
  }

  writeBig(value: bigint, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) this.writeBit(Number((value >> BigInt(i)) & 1n));
  }

  writeBit(b: number): void {
    const byte = this.bit >> 3;
    if (byte >= this.bytes.length) {
      const next = new Uint8Array(this.bytes.length * 2);
      next.set(this.bytes);
      this.bytes = next;
    }
    if (b) this.bytes[byte] |= 0x80 >> (this.bit & 7);
    this.bit++;
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, (this.bit + 7) >> 3);
  }
}

class BitReader {
  private bit = 0;
  constructor(private readonly bytes: Uint8Array) {}

  readBit(): number {
    const b = (this.bytes[this.bit >> 3] >> (7 - (this.bit & 7))) & 1;
    this.bit++;
    return b;
  }

  read(bits: number): number {
    let v = 0;
    for (let i = 0; i < bits; i++) v = v * 2 + this.readBit();
    return v;
  }

  readBig(bits: number): bigint {
    let v = 0n;
    for (let i = 0; i < bits; i++) v = (v << 1n) | BigInt(this.readBit());
    return v;
  }
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const u32 = new Uint32Array(f64.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** A value's bits; the staleness marker always as Prometheus's exact pattern (see bytes.ts). */
const toBits = (v: number): bigint => {
  f64[0] = v;
  if (Number.isNaN(v) && isStaleBits(u32[HIGH], u32[1 - HIGH])) return STALE_BITS;
  return u64[0];
};
const STALE_BITS = 0x7ff0000000000002n;
const fromBits = (b: bigint): number => {
  u64[0] = b;
  return f64[0];
};

function clz64(x: bigint): number {
  if (x === 0n) return 64;
  let n = 0;
  for (let bit = 63n; bit >= 0n && ((x >> bit) & 1n) === 0n; bit--) n++;
  return n;
}

function ctz64(x: bigint): number {
  if (x === 0n) return 64;
  let n = 0;
  while (((x >> BigInt(n)) & 1n) === 0n) n++;
  return n;
}

/** Timestamp delta-of-delta buckets (ms): control bits, payload width. */
const BUCKETS: Array<[number, number, number, number]> = [
  // [control, controlBits, payloadBits, range]
  [0b10, 2, 7, 63],
  [0b110, 3, 9, 255],
  [0b1110, 4, 12, 2047],
  [0b11110, 5, 20, 524_287],
];

/**
 * Gorilla's value stream: each value's bits XORed with the previous value's, written as a 0 bit
 * when equal, else with the previous leading/trailing zero window when it still fits, else with
 * a new window.
 */
class XorWriter {
  private leading = -1;
  private trailing = 0;

  constructor(
    private readonly w: BitWriter,
    private prev: bigint,
  ) {}

  write(bits: bigint): void {
    const { w } = this;
    const xor = bits ^ this.prev;
    this.prev = bits;
    if (xor === 0n) {
      w.writeBit(0);
      return;
    }
    w.writeBit(1);
    const lead = Math.min(clz64(xor), 31);
    const trail = ctz64(xor);
    if (this.leading !== -1 && lead >= this.leading && trail >= this.trailing) {
      w.writeBit(0);
      w.writeBig(xor >> BigInt(this.trailing), 64 - this.leading - this.trailing);
    } else {
      w.writeBit(1);
      const significant = 64 - lead - trail;
      w.write(lead, 5);
      w.write(significant === 64 ? 0 : significant, 6);
      w.writeBig(xor >> BigInt(trail), significant);
      this.leading = lead;
      this.trailing = trail;
    }
  }
}

/** Encodes samples (sorted by time, unique timestamps) into a Gorilla block. */
export function encodeGorilla(ts: number[], vs: number[]): Uint8Array {
  const w = new BitWriter();
  w.write(ts.length, 32);
  if (!ts.length) return w.finish();
  w.write(ts[0], 48);
  const first = toBits(vs[0]);
  w.writeBig(first, 64);
  const values = new XorWriter(w, first);
  let prevT = ts[0];
  let prevDelta = 0;
  for (let i = 1; i < ts.length; i++) {
    const delta = ts[i] - prevT;
    const dod = delta - prevDelta;
    if (dod === 0) w.writeBit(0);
    else {
      const bucket = BUCKETS.find(([, , , range]) => dod >= -range - 1 && dod <= range);
      if (bucket) {
        w.write(bucket[0], bucket[1]);
        w.write(dod < 0 ? dod + 2 ** bucket[2] : dod, bucket[2]);
      } else {
        w.write(0b11111, 5);
        w.write(dod + 2 ** 47, 48);
      }
    }
    prevDelta = delta;
    prevT = ts[i];
    values.write(toBits(vs[i]));
  }
  return w.finish();
}

/** Decodes a Gorilla block into timestamps and values. */
export function decodeGorilla(bytes: Uint8Array): { ts: number[]; vs: number[] } {
  const r = new BitReader(bytes);
  const n = r.read(32);
  const ts: number[] = [];
  const vs: number[] = [];
  if (!n) return { ts, vs };
  let t = r.read(48);
  let v = r.readBig(64);
  ts.push(t);
  vs.push(fromBits(v));
  let delta = 0;
  let leading = 0;
  let trailing = 0;
  for (let i = 1; i < n; i++) {
    let dod = 0;
    if (r.readBit() === 1) {
      let ones = 1;
      while (ones < 5 && r.readBit() === 1) ones++;
      if (ones === 5) dod = r.read(48) - 2 ** 47;
      else {
        const bits = BUCKETS[ones - 1][2];
        dod = r.read(bits);
        if (dod > BUCKETS[ones - 1][3]) dod -= 2 ** bits;
      }
    }
    delta += dod;
    t += delta;
    ts.push(t);
    if (r.readBit() === 1) {
      if (r.readBit() === 1) {
        leading = r.read(5);
        let significant = r.read(6);
        if (significant === 0) significant = 64;
        trailing = 64 - leading - significant;
      }
      const xor = r.readBig(64 - leading - trailing) << BigInt(trailing);
      v ^= xor;
    }
    vs.push(fromBits(v));
  }
  return { ts, vs };
}

/**
 * Values alone, XORed with their predecessor as in a Gorilla block (the fallback column).
 * Values flagged in `stale` are written as the staleness marker's exact bits.
 */
export function encodeXorValues(vs: number[], stale?: Uint8Array): Uint8Array {
  const w = new BitWriter();
  if (!vs.length) return w.finish();
  const bitsOf = (i: number) => (stale?.[i] ? STALE_BITS : toBits(vs[i]));
  const first = bitsOf(0);
  w.writeBig(first, 64);
  const values = new XorWriter(w, first);
  for (let i = 1; i < vs.length; i++) values.write(bitsOf(i));
  return w.finish();
}

/**
 * Reads `n` values of `encodeXorValues`, flagging in `stale` those stored as the marker. The 64
 * bits of a value are kept as two 32-bit words (BigInt arithmetic was most of a read's time).
 */
export function decodeXorValues(bytes: Uint8Array, n: number, stale?: Uint8Array): number[] {
  const r = new BitReader(bytes);
  const vs: number[] = [];
  if (!n) return vs;
  let hi = r.read(32);
  let lo = r.read(32);
  let leading = 0;
  let trailing = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && r.readBit() === 1) {
      if (r.readBit() === 1) {
        leading = r.read(5);
        let significant = r.read(6);
        if (significant === 0) significant = 64;
        trailing = 64 - leading - significant;
      }
      const m = 64 - leading - trailing;
      let xh = m > 32 ? r.read(m - 32) : 0;
      let xl = r.read(Math.min(m, 32));
      if (trailing >= 32) {
        xh = (xl << (trailing - 32)) >>> 0;
        xl = 0;
      } else if (trailing > 0) {
        xh = ((xh << trailing) | (xl >>> (32 - trailing))) >>> 0;
        xl = (xl << trailing) >>> 0;
      }
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
    if (stale && lo === 2 && (hi === 0x7ff00000 || hi === 0x7ff80000)) stale[i] = 1;
    u32[HIGH] = hi;
    u32[1 - HIGH] = lo;
    vs.push(f64[0]);
  }
  return vs;
}
