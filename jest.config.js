/** One Jest config for every suite: unit specs beside the code, integration and e2e under test/. */
const swcOptions = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testRegex: '(apps|libs|test)/.*\\.(spec|e2e-spec|int-spec)\\.ts$',
  // NestJS 12 ships ES modules only; Jest (on Node < 24.9) cannot require() them, so swc turns
  // those packages into CommonJS too (judged by the innermost node_modules folder, as nested copies
  // such as @fastify/static's content-disposition and light-my-request's cookie count). Everything else is loaded as it is.
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', { ...swcOptions, swcrc: false }] },
  transformIgnorePatterns: [
    '/node_modules/(?!.*/node_modules/)(?!(@nestjs|file-type|load-esm|uid|strtok3|token-types|peek-readable|@tokenizer|uint8array-extras|es-toolkit|@standard-schema|dotenv|dotenv-expand|content-disposition|cookie)/)',
  ],
  moduleNameMapper: {
    '^@app/snap(|/.*)$': '<rootDir>/libs/snap/src$1',
    '^@app/netzme-client(|/.*)$': '<rootDir>/libs/netzme-client/src$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
