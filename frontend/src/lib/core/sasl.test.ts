import { describe, expect, it } from 'vitest';
import { isTlsRecords } from './bytes';
import { decodeCredential, strictBase64 } from './sasl';

const b64 = (s: string) => btoa(s);

describe('decodeCredential', () => {
  it('decodes SMTP AUTH PLAIN without authzid', () => {
    const d = decodeCredential(`AUTH PLAIN ${b64('\0alice@example.org\0wonderland')}`);
    expect(d).toEqual({ kind: 'plain', text: '\\0alice@example.org\\0wonderland', authzid: '', user: 'alice@example.org', password: 'wonderland' });
  });
  it('decodes PLAIN with an authzid (IMAP AUTHENTICATE, POP3 AUTH)', () => {
    const v = b64('admin\0bob@example.net\0builder');
    for (const line of [`a1 AUTHENTICATE PLAIN ${v}`, `AUTH PLAIN ${v}`]) {
      const d = decodeCredential(line);
      expect(d).toMatchObject({ kind: 'plain', authzid: 'admin', user: 'bob@example.net', password: 'builder', text: 'admin\\0bob@example.net\\0builder' });
    }
  });
  it('decodes a bare PLAIN response after 334', () => {
    expect(decodeCredential(b64('\0alice@example.org\0wonderland'), '334 ')).toMatchObject({ kind: 'plain', user: 'alice@example.org' });
  });
  it('decodes LOGIN user name and password by the challenge', () => {
    expect(decodeCredential(b64('alice@example.org'), '334 VXNlcm5hbWU6')).toEqual({ kind: 'login', text: 'alice@example.org', part: 'user' });
    expect(decodeCredential(b64('wonderland'), '334 UGFzc3dvcmQ6')).toEqual({ kind: 'login', text: 'wonderland', part: 'password' });
    expect(decodeCredential(`AUTH LOGIN ${b64('alice@example.org')}`)).toEqual({ kind: 'login', text: 'alice@example.org', part: 'user' });
  });
  it('shows nothing for invalid base64', () => {
    for (const bad of ['AUTH PLAIN not*base64', 'AUTH PLAIN abc', '%%%%', 'AUTH PLAIN =', 'AUTH PLAIN', b64('\0only-two')]) {
      expect(decodeCredential(bad, '334 ')).toBeUndefined();
    }
    expect(strictBase64('/w==')).toBeUndefined(); // not UTF-8
  });
  it('marks plain-text logins as needing no decoding', () => {
    expect(decodeCredential('PASS wonderland')).toEqual({ kind: 'clear' });
    expect(decodeCredential('a1 LOGIN alice@example.org wonderland')).toEqual({ kind: 'clear' });
  });
});

describe('isTlsRecords', () => {
  it('accepts whole TLS records only', () => {
    expect(isTlsRecords(new Uint8Array([0x17, 3, 3, 0, 2, 0xaa, 0xbb]))).toBe(true);
    expect(isTlsRecords(new Uint8Array([0x17, 3, 3, 0, 1, 0xaa, 0x17, 3, 3, 0, 0]))).toBe(true);
    expect(isTlsRecords(new TextEncoder().encode('AUTH PLAIN AGFsaWNl\r\n'))).toBe(false);
    expect(isTlsRecords(new Uint8Array([0x17, 3, 3, 0, 5, 0xaa]))).toBe(false);
    expect(isTlsRecords(new Uint8Array(0))).toBe(false);
  });
});
