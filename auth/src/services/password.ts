import crypto from 'crypto';

/** scrypt's cost (N, a power of two), block size (r) and parallelization (p). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** What new hashes use. Raise it freely: every hash names the parameters it was made with. */
export const CURRENT_PARAMS: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };

/** Node's defaults, which the first hashes (`salt.hash` in hex, no parameters) were made with. */
const LEGACY_PARAMS: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 64;

// Bounds for parameters read back from the database, so that a corrupted or planted
// hash cannot make one sign-in allocate gigabytes.
const MAX_LOG_N = 20;
const MAX_R = 32;
const MAX_P = 16;

interface ParsedHash {
  /** `legacy`: `salt.hash` in hex, from before hashes named their parameters. */
  format: 'phc' | 'legacy';
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

const scrypt = (password: string, salt: Buffer, keyLength: number, { N, r, p }: ScryptParams) =>
  new Promise<Buffer>((resolve, reject) => {
    // Node's default maxmem (32 MiB) is just enough for N = 2^14, r = 8; allow what the parameters need.
    crypto.scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(key)));
  });

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
const B64 = '[A-Za-z0-9+/]+';

/** PHC string format: `$scrypt$ln=14,r=8,p=1$<salt>$<hash>`, base64 without padding. */
const PHC = new RegExp(`^\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,2}),p=(\\d{1,2})\\$(${B64})\\$(${B64})$`);
const LEGACY = /^([0-9a-f]+)\.([0-9a-f]+)$/;

const toPhc = ({ N, r, p }: ScryptParams, salt: Buffer, hash: Buffer) =>
  `$scrypt$ln=${Math.log2(N)},r=${r},p=${p}$${b64(salt)}$${b64(hash)}`;

const withinBounds = (logN: number, r: number, p: number) => logN >= 1 && logN <= MAX_LOG_N && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P;

const parse = (stored: string): ParsedHash | undefined => {
  const phc = PHC.exec(stored);
  if (phc) {
    const [logN, r, p] = [phc[1], phc[2], phc[3]].map(Number);
    if (!withinBounds(logN, r, p)) return undefined;
    return { format: 'phc', params: { N: 2 ** logN, r, p }, salt: Buffer.from(phc[4], 'base64'), hash: Buffer.from(phc[5], 'base64') };
  }
  const legacy = LEGACY.exec(stored);
  if (legacy) return { format: 'legacy', params: LEGACY_PARAMS, salt: Buffer.from(legacy[1], 'hex'), hash: Buffer.from(legacy[2], 'hex') };
  return undefined;
};

const sameParams = (a: ScryptParams, b: ScryptParams) => a.N === b.N && a.r === b.r && a.p === b.p;

/**
 * Salted scrypt hashes that carry their parameters, compared in constant time
 * with the parameters they were made with. Hashes from before parameters were
 * stored (`salt.hash` in hex) still verify.
 */
export const Password = {
  async toHash(password: string, params: ScryptParams = CURRENT_PARAMS): Promise<string> {
    const salt = crypto.randomBytes(SALT_BYTES);
    const hash = await scrypt(password, salt, KEY_BYTES, params);
    return toPhc(params, salt, hash);
  },

  async compare(stored: string, supplied: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed || parsed.hash.length === 0) return false;
    const actual = await scrypt(supplied, parsed.salt, parsed.hash.length, parsed.params);
    return crypto.timingSafeEqual(parsed.hash, actual);
  },

  /** Whether a stored hash was made some other way than `params` would make it now. */
  needsRehash(stored: string, params: ScryptParams = CURRENT_PARAMS): boolean {
    const parsed = parse(stored);
    return !parsed || parsed.format === 'legacy' || !sameParams(parsed.params, params) || parsed.hash.length !== KEY_BYTES;
  },
};

/** A hash to compare against when the user does not exist, so both failures take as long. */
export const decoyHash = Password.toHash(crypto.randomBytes(16).toString('hex'));
