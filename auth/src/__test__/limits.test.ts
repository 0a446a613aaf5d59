import { limitsFromEnv } from '../limits';

it('has defaults for a deployment that sets none', () => {
  expect(limitsFromEnv({})).toEqual({ signupsPerAddress: 20, failedSigninsPerAddress: 10 });
  expect(limitsFromEnv({ SIGNUP_RATE_LIMIT: '' }).signupsPerAddress).toBe(20);
});

it('reads each limit from its variable', () => {
  expect(limitsFromEnv({ SIGNUP_RATE_LIMIT: '7', SIGNIN_RATE_LIMIT: '8' })).toEqual({
    signupsPerAddress: 7,
    failedSigninsPerAddress: 8,
  });
});

it.each(['0', '-1', '2.5', 'ten'])('refuses %p, naming the variable', (value) => {
  expect(() => limitsFromEnv({ SIGNUP_RATE_LIMIT: value })).toThrow(`SIGNUP_RATE_LIMIT must be a positive whole number, not "${value}"`);
});
