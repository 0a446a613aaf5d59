import { body } from 'express-validator';
import { isMoneyAmount, MAX_PRICE, MIN_PRICE } from '@ticketing/common';
import { DEFAULT_LIMIT_PER_BUYER } from '../models/ticket';

export const MAX_TITLE_LENGTH = 200;
export const MAX_QUANTITY = 10_000;
export const MAX_ACTIVE_BUYERS = 10_000;
export const MAX_LIMIT_PER_BUYER = 10;

/** The body of POST and PUT /api/tickets; the listing fields may be left out. */
export interface TicketInput {
  title: string;
  price: number;
  quantity?: number;
  onSaleAt?: string | null;
  waitingRoom?: { activeBuyers: number } | null;
  limitPerBuyer?: number;
}

const isWholeNumberIn = (value: unknown, min: number, max: number) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** An ISO 8601 date and time, with a time zone, that Date reads as the same instant. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const isIsoTime = (value: unknown) => typeof value === 'string' && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));

/** Title and price as create and update both take them (a price must be a JSON number, not a string), and the listing fields. */
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
  body('quantity')
    .optional()
    .custom((quantity: unknown) => isWholeNumberIn(quantity, 1, MAX_QUANTITY))
    .withMessage(`Quantity must be a whole number from 1 to ${MAX_QUANTITY}`),
  body('onSaleAt')
    .optional({ values: 'null' })
    .custom(isIsoTime)
    .withMessage('onSaleAt must be an ISO 8601 date and time with a time zone, or null'),
  body('waitingRoom')
    .optional({ values: 'null' })
    .custom(
      (room: unknown) =>
        typeof room === 'object' &&
        room !== null &&
        !Array.isArray(room) &&
        Object.keys(room).every((key) => key === 'activeBuyers') &&
        isWholeNumberIn((room as { activeBuyers?: unknown }).activeBuyers, 1, MAX_ACTIVE_BUYERS),
    )
    .withMessage(`waitingRoom must be {activeBuyers} with a whole number from 1 to ${MAX_ACTIVE_BUYERS}, or null`),
  body('limitPerBuyer')
    .optional()
    .custom((limit: unknown) => isWholeNumberIn(limit, 1, MAX_LIMIT_PER_BUYER))
    .withMessage(`limitPerBuyer must be a whole number from 1 to ${MAX_LIMIT_PER_BUYER}`),
];

/** The listing a valid body describes, taking what it leaves out from `current` (or the defaults for a new one). */
export const listingOf = (
  input: TicketInput,
  current: { quantity: number; onSaleAt: Date | null; waitingRoom: { activeBuyers: number } | null; limitPerBuyer: number } = {
    quantity: 1,
    onSaleAt: null,
    waitingRoom: null,
    limitPerBuyer: DEFAULT_LIMIT_PER_BUYER,
  },
) => ({
  title: input.title,
  price: input.price,
  quantity: input.quantity ?? current.quantity,
  onSaleAt: input.onSaleAt === undefined ? current.onSaleAt : input.onSaleAt === null ? null : new Date(input.onSaleAt),
  waitingRoom:
    input.waitingRoom === undefined ? current.waitingRoom : input.waitingRoom && { activeBuyers: input.waitingRoom.activeBuyers },
  limitPerBuyer: input.limitPerBuyer ?? current.limitPerBuyer,
});
