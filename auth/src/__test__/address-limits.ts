// Every request supertest sends comes from one address, so the module-level app gets
// room for a whole file's sign-ups; tests of the limits build an app with their own.
process.env.SIGNUP_RATE_LIMIT ??= '1000';

export {};
