import jwt from 'jsonwebtoken';
import { secretKeyFromEnv } from './user-token';

/** The audience that tells an admission token from a session token, should the two keys ever be the same. */
const AUDIENCE = 'ticketing-admission';

/**
 * ADMISSION_KEY, which only queue (signs) and orders (checks) hold: a service that holds JWT_KEY alone, to check
 * sessions, cannot admit anyone.
 */
const admissionKey = () => secretKeyFromEnv('ADMISSION_KEY');

/** A waiting room's admission: this user may order from this listing until `expiresAt`. */
export interface Admission {
  admissionId: string;
  userId: string;
  ticketId: string;
  expiresAt: Date;
}

/** The short-lived token the queue service hands an admitted buyer, and orders checks. */
export const signAdmissionToken = ({ admissionId, userId, ticketId, expiresAt }: Admission): string =>
  jwt.sign({ ticketId }, admissionKey(), {
    algorithm: 'HS256',
    audience: AUDIENCE,
    subject: userId,
    jwtid: admissionId,
    expiresIn: Math.max(1, Math.ceil((expiresAt.getTime() - Date.now()) / 1000)),
  });

/** The admission a token carries, if it is ours, unexpired, and for this user and listing; else undefined. */
export const verifyAdmissionToken = (token: string, expected: { userId: string; ticketId: string }): Admission | undefined => {
  try {
    const payload = jwt.verify(token, admissionKey(), { algorithms: ['HS256'], audience: AUDIENCE, subject: expected.userId });
    if (typeof payload !== 'object' || payload.ticketId !== expected.ticketId || !payload.jti || !payload.exp) return undefined;
    return { admissionId: payload.jti, userId: expected.userId, ticketId: expected.ticketId, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    return undefined;
  }
};
