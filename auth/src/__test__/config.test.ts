import { limitsFromEnv } from '../config';

it('has defaults for a deployment that sets none', () => {
  expect(limitsFromEnv({})).toEqual({ signupsPerAddress: 20, failedSigninsPerAddress: 10, failedSigninsPerAccount: 5 });
  expect(limitsFromEnv({ SIGNUP_RATE_LIMIT: '' }).signupsPerAddress).toBe(20);
});

it('reads each limit from its variable', () => {
  expect(limitsFromEnv({ SIGNUP_RATE_LIMIT: '7', SIGNIN_RATE_LIMIT: '8', SIGNIN_ACCOUNT_LIMIT: '9' })).toEqual({
    signupsPerAddress: 7,
    failedSigninsPerAddress: 8,
    failedSigninsPerAccount: 9,
  });
});

it.each(['0', '-1', '2.5', 'ten'])('refuses %p, naming the variable', (value) => {
  expect(() => limitsFromEnv({ SIGNIN_ACCOUNT_LIMIT: value })).toThrow(`SIGNIN_ACCOUNT_LIMIT must be a positive integer, not "${value}"`);
});
