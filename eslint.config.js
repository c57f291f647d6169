import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The sandbox page runs in the browser, as plain ES modules.
    files: ['src/sandbox/page/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'document',
          'fetch',
          'EventSource',
          'URLSearchParams',
          'location',
          'localStorage',
          'history',
          'ResizeObserver',
          'requestAnimationFrame',
        ].map((g) => [g, 'readonly']),
      ),
    },
    rules: { 'no-console': 'error' },
  },
);
