import type { Request } from 'express';
import { signUserToken } from '@ticketing/common';
import type { UserDoc } from '../models/user';

export const startSession = (req: Request, user: UserDoc) => {
  req.session = { jwt: signUserToken({ id: String(user._id), email: user.email }) };
};
