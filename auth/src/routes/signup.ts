import express, { Request, Response } from 'express';
import type { Store } from 'express-rate-limit';
import { BadRequestError, isDuplicateKey, validateRequest } from '@ticketing/common';
import { signupRateLimit } from '../middlewares/address-rate-limit';
import { User } from '../models/user';
import { startSession } from '../services/session';
import { emailField, passwordField } from '../validators/credentials';

export const signupRouter = (signupsPerAddress: number, addressStore: Store) => {
  const router = express.Router();

  router.post(
    '/api/users/signup',
    signupRateLimit(signupsPerAddress, addressStore),
    [emailField(), passwordField().isLength({ min: 8, max: 128 }).withMessage('Password must be between 8 and 128 characters')],
    validateRequest,
    async (req: Request, res: Response) => {
      const { email, password } = req.body as { email: string; password: string };
      if (await User.exists({ email })) throw new BadRequestError('Email in use', 'email');

      const user = User.build({ email, password });
      try {
        await user.save();
      } catch (err) {
        // Two signups raced for the same email; the unique index let one through.
        if (isDuplicateKey(err)) throw new BadRequestError('Email in use', 'email');
        throw err;
      }

      startSession(req, user);
      res.status(201).send(user);
    },
  );

  return router;
};
