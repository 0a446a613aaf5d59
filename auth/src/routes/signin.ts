import express, { Request, Response } from 'express';
import type { Store } from 'express-rate-limit';
import { BadRequestError, validateRequest } from '@ticketing/common';
import { accountLockout } from '../middlewares/account-lockout';
import { refuseIfAddressOverLimit, signinRateLimit } from '../middlewares/address-rate-limit';
import { User } from '../models/user';
import type { AccountLockout } from '../services/account-lockout';
import { decoyHash, Password } from '../services/password';
import { startSession } from '../services/session';
import { emailField, passwordField } from '../validators/credentials';

export interface SigninLimits {
  failuresPerAddress: number;
  /** Where the failures per address count. */
  addressStore: Store;
  lockout: AccountLockout;
}

export const signinRouter = ({ failuresPerAddress, addressStore, lockout }: SigninLimits) => {
  const router = express.Router();

  router.post(
    '/api/users/signin',
    signinRateLimit(failuresPerAddress, addressStore),
    [emailField(), passwordField().notEmpty().withMessage('You must supply a password')],
    validateRequest,
    accountLockout(lockout),
    async (req: Request, res: Response) => {
      const { email, password } = req.body as { email: string; password: string };
      const user = await User.findOne({ email });
      // Unknown email and wrong password look the same, and take as long.
      const matches = await Password.compare(user?.password ?? (await decoyHash), password);
      if (!user || !matches) {
        refuseIfAddressOverLimit(res);
        throw new BadRequestError('Invalid credentials');
      }
      // The address's Retry-After, set when it is over its limit, says nothing about a success.
      res.removeHeader('Retry-After');
      await lockout.succeeded(email);
      // The only moment the plain password is at hand: move an outdated hash to the current parameters.
      if (Password.needsRehash(user.password)) {
        user.password = password;
        await user.save();
      }

      startSession(req, user);
      res.status(200).send(user);
    },
  );

  return router;
};
