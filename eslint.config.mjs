// @ts-check
// ESLint flat config: typescript-eslint's type-aware recommended rules over src/ and test/.
// Formatting is Prettier's job (.prettierrc.json); no stylistic rule lives here.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'data/**',
      'coverage/**',
      'test-artifacts/**',
      'node_modules/**',
      'public/**',
      'views/**',
      'bench/**',
      'migrations/**',
      '*.cjs',
      '*.mjs',
    ],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The defects this config is here for: a promise nobody awaits can crash the process or lose
      // its error; an async function where a callback expects void loses its rejection.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Unused names are already refused by tsc (noUnusedLocals); `_`-prefixed ones are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Nest modules are classes with decorators and no members (`export class TeamsModule {}`).
      '@typescript-eslint/no-extraneous-class': 'off',
      // Stylistic: `${n}` with a number in a template literal is how the code builds paths and
      // messages, and reads better than String(n). Objects without toString are still refused.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      // supertest types every response body (`res.body`) as `any`; the tests compare it with
      // expected values, which is exactly what `expect` is for. Reading fields off it is not a
      // defect in a test, so the unsafe-any rules are relaxed here (and only here).
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // `expect(obj.method).toHaveBeenCalled()` and jest mocks reference methods unbound on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // Tests hand async callbacks to code that awaits them (mocks that reject, hooks that
      // release a lock); an `async` arrow without `await` there is a promise on purpose.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
