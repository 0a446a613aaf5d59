import { body } from 'express-validator';
import { isMoneyAmount } from '@ticketing/common';

export const MAX_TITLE_LENGTH = 200;
export const MAX_PRICE = 1_000_000;

export interface TicketInput {
  title: string;
  price: number;
}

/** Title and price as create and update both take them; a price must be a JSON number, not a string. */
export const ticketFields = () => [
  body('title')
    .isString()
    .withMessage('Title is required')
    .bail()
    .trim()
    .notEmpty()
    .withMessage('Title is required')
    .isLength({ max: MAX_TITLE_LENGTH })
    .withMessage(`Title must be at most ${MAX_TITLE_LENGTH} characters`),
  body('price')
    .custom((price: unknown) => isMoneyAmount(price) && (price as number) <= MAX_PRICE)
    .withMessage(`Price must be a number greater than 0 and at most ${MAX_PRICE}, with at most two decimals`),
];
