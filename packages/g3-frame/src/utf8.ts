/** UTF-8 helpers with an ASCII fast path for the short keys G3 frames are full of. */

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Decode UTF-8 bytes (invalid sequences become U+FFFD, as TextDecoder does). */
export function decodeUtf8(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n <= 32) {
    let s = '';
    for (let i = 0; i < n; i++) {
      const b = bytes[i]!;
      if (b >= 0x80) return decoder.decode(bytes);
      s += String.fromCharCode(b);
    }
    return s;
  }
  return decoder.decode(bytes);
}

/** Encode a string as UTF-8. */
export function encodeUtf8(s: string): Uint8Array {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return encoder.encode(s);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
