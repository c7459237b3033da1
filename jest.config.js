// Two projects: pure unit tests (fast, no servers) and everything that runs real parts
// (Temporal test server / dev server, SMTP server, HTTP, child processes).
// openid-client and its two dependencies ship as ES modules only: compiled to CommonJS for jest as our own code is.
const esmOnly = ['openid-client', 'oauth4webapi', 'jose'];
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
};
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnly.join('|')})/)`];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, transformIgnorePatterns, testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/{workflows,api,e2e,replay,cli,browser}/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // Faults: the dev server, an SMTP sink, the worker and the API as processes of their own, each
      // broken on purpose. Run after the others (`npm test`), beside the cluster's suites: both
      // mostly wait (on outages, timeouts and retries), so three files at a time fit 2 cores
      // (test/support/sequencer.js orders them).
      displayName: 'faults',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      // The production shape (issue 18): a Temporal cluster on PostgreSQL, built from the Go module
      // proxy, with klachtflow's workers and APIs as processes of their own; its fault suite too.
      displayName: 'cluster',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
  // Each integration file starts its own servers: two at a time suits a 2-core machine.
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  maxWorkers: 2,
  // Integration tests start servers; pure tests never come near this.
  testTimeout: 120_000,
};
