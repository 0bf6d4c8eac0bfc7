/** Jest: TypeScript through swc; workflow code is bundled once by the Temporal SDK in globalSetup. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest'],
    // PGlite's CommonJS build loads Node modules with `import()`, which Jest's VM refuses without
    // --experimental-vm-modules; compiled by swc, those become plain requires.
    '/node_modules/@electric-sql/pglite/dist/.+\\.cjs$': ['@swc/jest'],
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 60000,
};
