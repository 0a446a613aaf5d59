import crypto from 'crypto';
import { promisify } from 'util';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const KEY_LENGTH = 64;

/** Salted scrypt hashes, stored as `salt.hash` in hex, compared in constant time. */
export const Password = {
  async toHash(password: string): Promise<string> {
    const salt = crypto.randomBytes(16);
    const hash = await scrypt(password, salt, KEY_LENGTH);
    return `${salt.toString('hex')}.${hash.toString('hex')}`;
  },

  async compare(stored: string, supplied: string): Promise<boolean> {
    const [salt, hash] = stored.split('.');
    if (!salt || !hash) return false;
    const expected = Buffer.from(hash, 'hex');
    const actual = await scrypt(supplied, Buffer.from(salt, 'hex'), expected.length);
    return crypto.timingSafeEqual(expected, actual);
  },
};

/** A hash to compare against when the user does not exist, so both failures take as long. */
export const decoyHash = Password.toHash(crypto.randomBytes(16).toString('hex'));
