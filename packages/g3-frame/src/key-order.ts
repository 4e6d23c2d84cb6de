/**
 * The libstdc++ `std::unordered_map<std::string, …>` iteration-order model of g3-format.md §2.4,
 * so that a frame written here matches what spt3g (GCC/libstdc++ build) writes byte for byte.
 */

const M = 0xc6a4a7935bd1e995n;
const MASK = 0xffffffffffffffffn;
const SEED = 0xc70f6907n;

function shiftMix(v: bigint): bigint {
  return v ^ (v >> 47n);
}

/** libstdc++ `std::_Hash_bytes(key, len, 0xc70f6907)` (64-bit MurmurHash64A variant), §2.4. */
export function hashBytes(key: Uint8Array): bigint {
  const len = key.length;
  let h = (SEED ^ ((BigInt(len) * M) & MASK)) & MASK;
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const full = len & ~7;
  for (let i = 0; i < full; i += 8) {
    let k = view.getBigUint64(i, true);
    k = (shiftMix((k * M) & MASK) * M) & MASK;
    h = ((h ^ k) * M) & MASK;
  }
  if (len & 7) {
    let k = 0n;
    for (let i = len - 1; i >= full; i--) k = (k << 8n) | BigInt(key[i]!);
    h = ((h ^ k) * M) & MASK;
  }
  return shiftMix((shiftMix(h) * M) & MASK);
}

/** Bucket counts before inserting the n-th element (n = index + 1 ≥ threshold), §2.4. */
const GROWTH: Array<[number, number]> = [
  [1, 13],
  [14, 29],
  [30, 59],
  [60, 127],
  [128, 257],
  [258, 541],
  [542, 1109],
  [1110, 2357],
  [2358, 5087],
  [5088, 10273],
];

/** Largest key count the model is verified for; larger frames keep insertion order. */
export const KEY_ORDER_MODEL_MAX_KEYS = 10272;

interface Node {
  key: Uint8Array;
  hash: bigint;
  idx: number;
}

function insert(list: Node[], node: Node, buckets: bigint): void {
  const b = node.hash % buckets;
  const first = list.findIndex((n) => n.hash % buckets === b);
  if (first < 0) list.unshift(node); // empty bucket: front of the whole list
  else list.splice(first, 0, node); // front of its bucket's run
}

/**
 * Iteration order spt3g would produce after inserting `keys` (UTF-8 bytes) in this order into an
 * empty frame. Returns indices into `keys`. Above {@link KEY_ORDER_MODEL_MAX_KEYS} keys returns
 * insertion order (model not verified there).
 */
export function libstdcxxOrder(keys: Uint8Array[]): number[] {
  if (keys.length > KEY_ORDER_MODEL_MAX_KEYS) return keys.map((_, i) => i);
  let list: Node[] = [];
  let buckets = 1n;
  let g = 0;
  keys.forEach((key, idx) => {
    const n = idx + 1;
    if (g < GROWTH.length && n >= GROWTH[g]![0]) {
      buckets = BigInt(GROWTH[g]![1]);
      g++;
      const old = list;
      list = [];
      for (const node of old) insert(list, node, buckets);
    }
    insert(list, { key, hash: hashBytes(key), idx }, buckets);
  });
  return list.map((n) => n.idx);
}
