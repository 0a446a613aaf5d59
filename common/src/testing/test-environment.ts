// Jest loads this before every test file (jest.preset.js): the session key tests sign and verify with.
process.env.JWT_KEY ??= 'test-only-jwt-key';

export {};
