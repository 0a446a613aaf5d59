import express, { Request, Response } from 'express';
import { requireAuth, signedInUser } from '@ticketing/common';
import { Balance, BalanceFields, balanceView } from '../models/balance';

const router = express.Router();

/** The signed-in seller's own balance: there is no route to anyone else's. */
router.get('/api/balances/me', requireAuth, async (req: Request, res: Response) => {
  const { id } = signedInUser(req);
  const balance = await Balance.findById(id).lean<BalanceFields>();
  res.send(balanceView(id, balance));
});

export { router as showBalanceRouter };
