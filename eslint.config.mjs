// Lint gate for CI: typescript-eslint's recommended rules plus a few that matter for money code,
// and, for production code, a deliberate set of type-aware rules (they need the type checker, so
// they run through typescript-eslint's project service on tsconfig.json).
import tseslint from 'typescript-eslint';

/** Code that runs in production: the two apps, the libraries, migrations and the start/ops scripts. */
const PRODUCTION = ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts', 'migrations/**/*.ts', 'scripts/**/*.ts'];
const SPECS = ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.int-spec.ts'];
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'jest.config.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // parseFloat/Number on money is how floats sneak in: amounts go through @app/snap money helpers.
      'no-restricted-globals': ['error', { name: 'parseFloat', message: 'Use the bigint money helpers in @app/snap for amounts.' }],
    },
  },
  {
    files: PRODUCTION,
    ignores: SPECS,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its rejection: a failed UPDATE or Netzme call would vanish
      // (or crash the process as an unhandled rejection) instead of reaching the caller or the job's error log.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a sync callback is expected (an `if (promise)`, an EventEmitter
      // listener, forEach) runs unawaited and its result is always truthy.
      '@typescript-eslint/no-misused-promises': 'error',
      // `await` on a non-promise is usually a call that was meant to be async (or a missing call).
      '@typescript-eslint/await-thenable': 'error',
      // `return promise` inside try/catch/finally skips the catch and runs the finally too early
      // (a transaction released before its query settles); await it there, nowhere else.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // Rejections and throws carry Error objects, so the HTTP filter, the logs and the job runner
      // always see a stack, a name and a message (never a bare string or a plain object).
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      // A switch over a status union must name every status: adding an order/payout state then
      // fails the lint wherever a decision forgot it (a `default` branch counts as deliberate).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // [10n, 9n].sort() sorts as text (10 before 9): amounts and ids need an explicit comparator.
      '@typescript-eslint/require-array-sort-compare': ['error', { ignoreStringArrays: true }],
      // A method passed on without its object (setInterval(this.poll)) runs with `this` undefined.
      '@typescript-eslint/unbound-method': 'error',
      // Deliberately NOT enabled: no-unnecessary-condition (it asks to delete the defensive checks
      // on Netzme's JSON, whose declared types are a hope, not a guarantee), no-redundant-type-constituents
      // (the wire types spell tolerant `'KNOWN' | string` unions on purpose), require-await (in-memory
      // implementations of async interfaces).
    },
  },
  {
    files: PRODUCTION,
    ignores: SPECS,
    rules: {
      // An assertion the compiler does not need hides the real type from the reader and survives
      // the day the type changes; fewer casts means the ones left are the ones that matter.
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // "[object Object]" in an error message, a log line or a stored status word is a silent bug.
      '@typescript-eslint/no-base-to-string': 'error',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.int-spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    // Tests poke at untyped JSON bodies; production code keeps the strict rules.
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
