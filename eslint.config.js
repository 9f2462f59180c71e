import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Import boundaries from DESIGN.md: client -> shared <- server; media never touches the data layer. */
const restrictedImports = {
  shared: [
    {
      group: ['@parley/server', '@parley/client', '**/server/**', '**/client/**'],
      message: 'shared/ imports neither side.',
    },
    {
      group: ['@prisma/*', 'express', 'react', 'socket.io*', 'werift'],
      message: 'shared/ holds only the protocol.',
    },
  ],
  client: [
    {
      group: ['@prisma/*', '**/generated/prisma/**', '@parley/server', '**/server/**'],
      message: 'The client never imports Prisma or server code.',
    },
  ],
  media: [
    {
      group: ['**/db/**', '**/generated/prisma/**', '@prisma/*', '**/*Repository*'],
      message: 'The media engine never touches the data layer.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'server/src/generated/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts', 'eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: restrictedImports.shared }] },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: restrictedImports.client }],
    },
  },
  {
    files: ['server/src/media/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: restrictedImports.media }] },
  },
  {
    // Scripts, tests, benchmarks and end-to-end tests talk to the terminal.
    files: ['**/*.test.ts', 'e2e/**/*.ts', 'bench/**/*.ts', 'server/scripts/**/*.ts', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests read JSON responses as the untyped data they are, and assert on them.
    files: ['**/*.test.ts', '**/testing/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
