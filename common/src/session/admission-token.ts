import jwt from 'jsonwebtoken';
import { signingKey } from './user-token';

/** The audience that tells an admission token from a session token signed with the same key. */
const AUDIENCE = 'ticketing-admission';

/** A waiting room's admission: this user may order from this listing until `expiresAt`. */
export interface Admission {
  admissionId: string;
  userId: string;
  ticketId: string;
  expiresAt: Date;
}

/** The short-lived token the queue service hands an admitted buyer, and orders checks. */
export const signAdmissionToken = ({ admissionId, userId, ticketId, expiresAt }: Admission): string =>
  jwt.sign({ ticketId }, signingKey(), {
    algorithm: 'HS256',
    audience: AUDIENCE,
    subject: userId,
    jwtid: admissionId,
    expiresIn: Math.max(1, Math.ceil((expiresAt.getTime() - Date.now()) / 1000)),
  });

/** The admission a token carries, if it is ours, unexpired, and for this user and listing; else undefined. */
export const verifyAdmissionToken = (token: string, expected: { userId: string; ticketId: string }): Admission | undefined => {
  try {
    const payload = jwt.verify(token, signingKey(), { algorithms: ['HS256'], audience: AUDIENCE, subject: expected.userId });
    if (typeof payload !== 'object' || payload.ticketId !== expected.ticketId || !payload.jti || !payload.exp) return undefined;
    return { admissionId: payload.jti, userId: expected.userId, ticketId: expected.ticketId, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    return undefined;
  }
};
