// Jest runs TypeScript through ts-jest in ESM mode: Nest 12 packages are ESM-only (see docs/decisions.md).
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: { warnOnly: false } }] },
  testEnvironment: 'node',
  rootDir: __dirname,
};
module.exports = {
  testTimeout: 30000,
  // One worker process (npm test passes --maxWorkers=1), started afresh once a test file leaves it
  // above this much memory: each e2e file loads Nest, TypeORM and the app again as ES modules, which
  // Jest's VM modules never free, and in one process the ~100 files grew the heap past 4 GB, where
  // garbage collection made the last files time out.
  workerIdleMemoryLimit: '1536MB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/**/*.browser-spec.ts'] },
  ],
};
