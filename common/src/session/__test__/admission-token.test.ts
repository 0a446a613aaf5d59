import jwt from 'jsonwebtoken';
import { signAdmissionToken, verifyAdmissionToken } from '../admission-token';
import { signUserToken, verifyUserToken } from '../user-token';

const admission = { admissionId: 'a-1', userId: 'u-1', ticketId: 't-1', expiresAt: new Date(Date.now() + 60_000) };

it('verifies a token for the user and listing it was issued for', () => {
  const verified = verifyAdmissionToken(signAdmissionToken(admission), { userId: 'u-1', ticketId: 't-1' });
  expect(verified).toMatchObject({ admissionId: 'a-1', userId: 'u-1', ticketId: 't-1' });
  expect(Math.abs(verified!.expiresAt.getTime() - admission.expiresAt.getTime())).toBeLessThan(1500);
});

it('refuses it for another user or another listing', () => {
  const token = signAdmissionToken(admission);
  expect(verifyAdmissionToken(token, { userId: 'u-2', ticketId: 't-1' })).toBeUndefined();
  expect(verifyAdmissionToken(token, { userId: 'u-1', ticketId: 't-2' })).toBeUndefined();
});

it('refuses an expired, tampered or foreign token', () => {
  const expired = jwt.sign({ ticketId: 't-1', exp: Math.floor(Date.now() / 1000) - 10 }, process.env.ADMISSION_KEY!, {
    audience: 'ticketing-admission',
    subject: 'u-1',
    jwtid: 'a-1',
  });
  expect(verifyAdmissionToken(expired, { userId: 'u-1', ticketId: 't-1' })).toBeUndefined();
  const forged = jwt.sign({ ticketId: 't-1' }, 'another key', { audience: 'ticketing-admission', subject: 'u-1', jwtid: 'a-1' });
  expect(verifyAdmissionToken(forged, { userId: 'u-1', ticketId: 't-1' })).toBeUndefined();
  expect(verifyAdmissionToken('not a token', { userId: 'u-1', ticketId: 't-1' })).toBeUndefined();
});

it('refuses one signed with the session key, which services that only check sessions hold', () => {
  const minted = jwt.sign({ ticketId: 't-1' }, process.env.JWT_KEY!, {
    audience: 'ticketing-admission',
    subject: 'u-1',
    jwtid: 'a-1',
    expiresIn: 60,
  });
  expect(verifyAdmissionToken(minted, { userId: 'u-1', ticketId: 't-1' })).toBeUndefined();
});

it('is never taken for a session, nor a session for it', () => {
  expect(verifyUserToken(signAdmissionToken(admission))).toBeUndefined();
  expect(verifyAdmissionToken(signUserToken({ id: 'u-1', email: 'a@b.c' }), { userId: 'u-1', ticketId: 't-1' })).toBeUndefined();
});
