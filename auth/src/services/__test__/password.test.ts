import crypto from 'crypto';
import { CURRENT_PARAMS, Password } from '../password';

/** A hash exactly as auth stored them before hashes named their parameters: `salt.hash` in hex, Node's default scrypt. */
const legacyHash = (password: string) => {
  const salt = crypto.randomBytes(16);
  return `${salt.toString('hex')}.${crypto.scryptSync(password, salt, 64).toString('hex')}`;
};

it('stores the parameters with each new hash, in PHC string format', async () => {
  const stored = await Password.toHash('password123');
  expect(stored).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{86}$/);
  expect(await Password.compare(stored, 'password123')).toBe(true);
  expect(await Password.compare(stored, 'password124')).toBe(false);
  expect(Password.needsRehash(stored)).toBe(false);
});

it('verifies hashes in the old `salt.hash` format and marks them for rehashing', async () => {
  const stored = legacyHash('password123');
  expect(await Password.compare(stored, 'password123')).toBe(true);
  expect(await Password.compare(stored, 'wrong-password')).toBe(false);
  expect(Password.needsRehash(stored)).toBe(true);
});

it('compares with the parameters stored in the hash, not the current ones', async () => {
  const stored = await Password.toHash('password123', { N: 2 ** 10, r: 4, p: 2 });
  expect(stored).toMatch(/^\$scrypt\$ln=10,r=4,p=2\$/);
  expect(await Password.compare(stored, 'password123')).toBe(true);
  // The same salt and hash under other parameters no longer match.
  expect(await Password.compare(stored.replace('ln=10,r=4,p=2', 'ln=10,r=8,p=2'), 'password123')).toBe(false);
});

it('keeps old hashes working when the parameters are raised, and marks them for rehashing', async () => {
  const older = await Password.toHash('password123', { N: 2 ** 12, r: 8, p: 1 });
  const legacy = legacyHash('password123');
  const raised = { ...CURRENT_PARAMS, N: CURRENT_PARAMS.N * 2 };

  const newer = await Password.toHash('password123', raised);
  expect(newer).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
  for (const stored of [older, legacy, newer]) expect(await Password.compare(stored, 'password123')).toBe(true);
  expect([older, legacy, newer].map((stored) => Password.needsRehash(stored, raised))).toEqual([true, true, false]);
});

it.each([
  ['an empty string', ''],
  ['no separator', 'abcdef'],
  ['an unknown algorithm', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA'],
  ['a cost beyond the bounds', '$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA'],
  ['a zero block size', '$scrypt$ln=14,r=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA'],
  ['an empty hash', 'abcd.'],
])('refuses %s as a stored hash without throwing', async (_case, stored) => {
  expect(await Password.compare(stored, 'password123')).toBe(false);
  expect(Password.needsRehash(stored)).toBe(true);
});
