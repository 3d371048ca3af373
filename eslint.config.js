import js from '@eslint/js'
import neostandard from 'neostandard'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', '.tap/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // The standard style the code is written in (no semicolons, two-space indent, single quotes, a space before a
  // function's parentheses), with its TypeScript adaptations.
  ...neostandard({ ts: true, noJsx: true }),
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      // Where the recommended sets above are stricter than neostandard, they stay as strict.
      'no-var': 'error',
      'prefer-const': ['error', { destructuring: 'any' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-constant-condition': ['error', { checkLoops: 'allExceptWhileTrue' }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: false, allowTernary: false, allowTaggedTemplates: false }],
      // `void promise` as a statement marks a deliberate fire-and-forget call; anywhere else `void` stays an error.
      'no-void': ['error', { allowAsStatement: true }],
      // The config's secret references are written `${env:NAME}` and `${file:/path}`, so strings that hold them are
      // meant as they are, not template literals missing their backquotes.
      'no-template-curly-in-string': 'off'
    }
  },
  // Rules that need type information, on the TypeScript files (every one of them is in tsconfig.json). Left out:
  // require-await, since async functions without an await are deliberate here: tap subtests, credential providers,
  // Fastify route handlers and the metrics' getForPromString are written as async functions that return a value.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // tap queues a subtest when `t.test()` is called and waits for it, so its returned promise needs no await.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', name: 'test', package: '@tapjs/test' }]
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-array-delete': 'error',
      '@typescript-eslint/restrict-template-expressions': 'error'
    }
  }
)
