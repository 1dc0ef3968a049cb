// Lint rules for src/: ESLint's recommended set and typescript-eslint's strictest type-aware set.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', '.dist-*/', 'node_modules/', 'bench/', 'test/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unused parameters keep a handler's shape readable when prefixed with "_".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A number prints one way in a template; String(n) around it would only add noise.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(req, res) => res.end()` and `return sendText(...)` in a void function are how handlers end early.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
    },
  },
  {
    // The byte scanners index Buffers inside loops bounded by the buffer's length: `buf[i]!`
    // states that bound and compiles to nothing, where `?? 0` would add a compare per byte on the
    // hottest path of every request.
    files: ['src/protocol/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
