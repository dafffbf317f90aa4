import { randomBytes, scryptSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretBox, hashPassword, hashToken, newSecretToken, verifyPassword } from './crypto.ts';

// scrypt at N=2^17 is slow on purpose; a busy CI machine needs more than the default 5 s.
describe('password hashing', { timeout: 30_000 }, () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('Mot-de-passe-correct-2026');
    expect(await verifyPassword('Mot-de-passe-correct-2026', stored)).toBe(true);
    expect(await verifyPassword('Mot-de-passe-correct-2025', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('embeds the scheme, the OWASP parameters and a random salt in the stored value', async () => {
    const [a, b] = await Promise.all([hashPassword('même mot de passe'), hashPassword('même mot de passe')]);
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('même');
  });

  it('reads the parameters from the stored value, so they can grow without breaking old hashes', async () => {
    const salt = randomBytes(16);
    const hash = scryptSync('ancien-mot-de-passe', salt, 32, { N: 1024, r: 8, p: 1 });
    const old = ['scrypt', 1024, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$');
    expect(await verifyPassword('ancien-mot-de-passe', old)).toBe(true);
    expect(await verifyPassword('autre-mot-de-passe', old)).toBe(false);
  });

  it('treats composed and decomposed accents as the same password (NFC)', async () => {
    const stored = await hashPassword('Clé-du-Perche-2026'.normalize('NFD'));
    expect(await verifyPassword('Clé-du-Perche-2026'.normalize('NFC'), stored)).toBe(true);
  });

  it('rejects, without throwing, stored values it does not understand', async () => {
    const salt = randomBytes(16).toString('base64');
    const hash = randomBytes(32).toString('base64');
    for (const stored of [
      '',
      'x',
      'bcrypt$2b$10$abc',
      `scrypt$abc$8$1$${salt}$${hash}`,
      `scrypt$1000$8$1$${salt}$${hash}`,
      'scrypt$1024$8$1$$',
    ]) {
      await expect(verifyPassword('peu importe', stored), stored).resolves.toBe(false);
    }
  });
});

describe('secret tokens', () => {
  it('makes long random tokens with their prefix and stores only their SHA-256', () => {
    const { token, hash } = newSecretToken('rls_');
    expect(token).toMatch(/^rls_[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(hashToken(token));
    expect(hash).not.toContain(token.slice(4));
    expect(newSecretToken().token).not.toBe(newSecretToken().token);
  });
});

describe('secret box (AES-256-GCM)', () => {
  const box = createSecretBox(randomBytes(32));

  it('opens what it sealed, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (plain) => {
        expect(box.open(box.seal(plain))).toBe(plain);
      }),
    );
  });

  it('seals the same text differently each time', () => {
    expect(box.seal('numéro de sécurité sociale')).not.toBe(box.seal('numéro de sécurité sociale'));
  });

  it('detects any flipped bit in the nonce, the tag or the ciphertext', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.constantFrom(1, 2, 3),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (plain, part, position, bit) => {
          const pieces = box.seal(plain).split('.');
          const bytes = Buffer.from(pieces[part]!, 'base64url');
          const index = position % bytes.length;
          bytes[index] = bytes[index]! ^ (1 << bit);
          pieces[part] = bytes.toString('base64url');
          expect(() => box.open(pieces.join('.'))).toThrow();
        },
      ),
    );
  });

  it('refuses a value sealed with another key, or in an unknown format', () => {
    const sealed = box.seal('secret');
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow();
    expect(() => box.open(sealed.replace(/^v1/, 'v2'))).toThrow('unknown sealed format');
    expect(() => box.open('pas-scellé')).toThrow('unknown sealed format');
  });
});
