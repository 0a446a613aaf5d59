// ESLint for the whole repository: `npm run lint` (with Prettier), run by `npm test`.
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/build/',
    '**/.next/',
    '**/node_modules/',
    '**/.tools/',
    '**/.data/',
    '**/coverage/',
    '**/artifacts/',
    'client/next-env.d.ts',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // TypeScript: every package's sources and tests, type-checked through the nearest tsconfig.json.
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore names a parameter the signature needs but the body does not (express's 4-argument error handler).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // @types/jest types the asymmetric matchers (expect.any, objectContaining, ...) as `any`, so every
    // `toEqual({ id: expect.any(String) })` would be reported; the other no-unsafe-* rules stay on in tests.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },

  // The Next.js client: Next's rules (recommended and Core Web Vitals) and React's rules of hooks.
  {
    files: ['client/**/*.{ts,tsx}'],
    extends: [nextPlugin.configs['core-web-vitals'], reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
    settings: { next: { rootDir: 'client/' } },
  },

  // Plain CommonJS files run by node: the jest configs and the README's command script.
  {
    files: ['**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },

  // Last: turn off every rule that Prettier's formatting would contradict.
  prettier,
);
