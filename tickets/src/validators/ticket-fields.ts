import { body } from 'express-validator';
import { isMoneyAmount, MAX_PRICE, MIN_PRICE } from '@ticketing/common';

export const MAX_TITLE_LENGTH = 200;

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
    .custom((price: unknown) => isMoneyAmount(price) && (price as number) >= MIN_PRICE && (price as number) <= MAX_PRICE)
    .withMessage(`Price must be a number from ${MIN_PRICE.toFixed(2)} to ${MAX_PRICE}, with at most two decimals`),
];
