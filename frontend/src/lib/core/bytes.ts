// Byte helpers: the Go side sends []byte as base64; the inspector shows hex.

/** decodeBase64 turns a base64 string into bytes; empty or invalid input gives none. */
export function decodeBase64(b64: string | undefined): Uint8Array {
  if (!b64) return new Uint8Array(0);
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return new Uint8Array(0);
  }
}

/** lineBytes are a line's bytes as the endpoint saw them: raw, or its text and CRLF where the stream left raw out. */
export function lineBytes(ev: { raw?: string; rawText?: boolean; text?: string } | undefined): Uint8Array {
  if (ev?.rawText && !ev.raw) return new TextEncoder().encode(`${ev.text ?? ''}\r\n`);
  return decodeBase64(ev?.raw);
}

/** utf8Length counts the bytes of s in UTF-8. */
export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

export interface HexRow {
  offset: string;
  hex: string;
  text: string;
}

/** hexRows lays bytes out like `hexdump -C`: offset, 16 bytes in hex, printable ASCII. */
export function hexRows(bytes: Uint8Array, limit = 4096): HexRow[] {
  const rows: HexRow[] = [];
  const n = Math.min(bytes.length, limit);
  for (let off = 0; off < n; off += 16) {
    const chunk = bytes.subarray(off, Math.min(off + 16, n));
    const hex: string[] = [];
    let text = '';
    for (const b of chunk) {
      hex.push(b.toString(16).padStart(2, '0'));
      text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    rows.push({ offset: off.toString(16).padStart(4, '0'), hex: hex.join(' '), text });
  }
  return rows;
}

/** decodeText shows bytes as UTF-8 text, with CR and LF made visible. */
export function visibleText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false })
    .decode(bytes)
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n');
}

/**
 * isTlsRecords says whether bytes are nothing but whole TLS records
 * (RFC 8446 §5.1: type 20–23, version 3.x, 16-bit length, payload), so the
 * wire view of an encrypted line can never show plaintext by mistake.
 */
export function isTlsRecords(bytes: Uint8Array): boolean {
  let i = 0;
  while (i + 5 <= bytes.length) {
    if (bytes[i] < 20 || bytes[i] > 23 || bytes[i + 1] !== 3) return false;
    i += 5 + ((bytes[i + 3] << 8) | bytes[i + 4]);
  }
  return bytes.length > 0 && i === bytes.length;
}
