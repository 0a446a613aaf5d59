// Jest loads this before every test file (jest.preset.js): the session and admission keys tests sign and verify with.
process.env.JWT_KEY ??= 'test-only-jwt-key';
process.env.ADMISSION_KEY ??= 'test-only-admission-key';

export {};
