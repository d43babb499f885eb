// What a credential line's base64 decodes to. Base64 is an encoding, not
// encryption: the inspector shows the decoded user and password (only once
// the user reveals the line) so the lesson can make that point.
// SASL PLAIN: RFC 4616 §2 (authzid NUL authcid NUL passwd); LOGIN: the
// draft-murchison-sasl-login mechanism (user name, then password).

/** CredentialDecoding is what the inspector shows under a revealed credential. */
export type CredentialDecoding =
  | { kind: 'plain'; text: string; authzid: string; user: string; password: string }
  | { kind: 'login'; text: string; part?: 'user' | 'password' }
  | { kind: 'clear' }; // POP3 PASS, IMAP LOGIN: already plain text, nothing to decode

const b64re = /^[A-Za-z0-9+/]+={0,2}$/;

/** strictBase64 decodes canonical base64 to UTF-8 text; anything else gives undefined. */
export function strictBase64(s: string): string | undefined {
  if (!s || s.length % 4 !== 0 || !b64re.test(s)) return undefined;
  try {
    const bin = atob(s);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** showNul writes NUL bytes as \0 so the separators of PLAIN can be seen. */
export function showNul(s: string): string {
  return s.replace(/\0/g, '\\0');
}

function decodeValue(b64: string, mech: string | undefined, prompt?: string): CredentialDecoding | undefined {
  const text = strictBase64(b64);
  if (text === undefined) return undefined;
  const parts = text.split('\0');
  if (parts.length === 3 && mech !== 'LOGIN') {
    return { kind: 'plain', text: showNul(text), authzid: parts[0], user: parts[1], password: parts[2] };
  }
  if (parts.length !== 1 || mech === 'PLAIN') return undefined;
  return { kind: 'login', text, part: promptPart(prompt) ?? (mech === 'LOGIN' ? 'user' : undefined) };
}

/** promptPart reads an AUTH LOGIN challenge ("334 VXNlcm5hbWU6" = "Username:"). */
function promptPart(prompt: string | undefined): 'user' | 'password' | undefined {
  const w = (prompt ?? '').trim().split(/\s+/);
  const challenge = strictBase64(w[w.length - 1] ?? '') ?? '';
  if (/user/i.test(challenge)) return 'user';
  if (/pass/i.test(challenge)) return 'password';
  return undefined;
}

/**
 * decodeCredential explains a credential line's text. prompt is the server
 * line just before it on the same connection (the 334 or + challenge), which
 * tells a LOGIN user name from its password. undefined: nothing to show.
 */
export function decodeCredential(text: string, prompt?: string): CredentialDecoding | undefined {
  const w = text.trim().split(/\s+/);
  const up = w.map((x) => x.toUpperCase());
  if (up[0] === 'PASS' || (up[0] !== 'AUTH' && up[1] === 'LOGIN')) return { kind: 'clear' };
  // SMTP/POP3 "AUTH MECH [initial]", IMAP "tag AUTHENTICATE MECH [initial]"
  const at = up[0] === 'AUTH' ? 0 : up[1] === 'AUTHENTICATE' ? 1 : -1;
  if (at >= 0) {
    const mech = up[at + 1];
    const initial = w[at + 2];
    return initial && initial !== '=' ? decodeValue(initial, mech) : undefined;
  }
  // A bare SASL response after a challenge.
  return w.length === 1 ? decodeValue(w[0], undefined, prompt) : undefined;
}
