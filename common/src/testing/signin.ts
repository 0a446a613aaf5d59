import mongoose from 'mongoose';
import { signUserToken } from '../session/user-token';

export interface TestUser {
  id: string;
  email: string;
}

export const testUser = (overrides: Partial<TestUser> = {}): TestUser => ({
  id: new mongoose.Types.ObjectId().toHexString(),
  email: 'test@test.com',
  ...overrides,
});

/** The session cookie carrying `token`, as cookie-session writes it (for forged, expired or tampered tokens). */
export const sessionCookie = (token: string): string => `session=${Buffer.from(JSON.stringify({ jwt: token })).toString('base64')}`;

/** A `Cookie` header value that signs the given (or a new) user in. */
export const signinCookie = (user: Partial<TestUser> = {}): string[] => {
  return [sessionCookie(signUserToken(testUser(user)))];
};
