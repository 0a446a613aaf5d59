import { body } from 'express-validator';

/** Email and password as the signup and signin forms send them; anything but strings is rejected. */
export const emailField = () =>
  body('email').isString().withMessage('Email must be valid').bail().trim().toLowerCase().isEmail().withMessage('Email must be valid');

export const passwordField = () => body('password').isString().withMessage('You must supply a password').bail();
