/** ts-jest with isolatedModules: type-checking is `npm run typecheck`'s job, tests stay fast.
 *  Target ES2022 matters: the compiler reads update() sources, which must stay loops, not ES5 rewrites. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // *.slow.test.ts need outside engines (NEURON, Brian2, a browser): `npm run test:slow`, after the fast suite
  testPathIgnorePatterns: process.env.BW_SLOW ? [] : ['\\.slow\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleNameMapper: {
    '^brainweave$': '<rootDir>/src/index.ts',
    '^brainweave/connectors$': '<rootDir>/connectors/index.ts',
    '^brainweave/models$': '<rootDir>/models/index.ts',
    '^brainweave/node$': '<rootDir>/src/node/index.ts',
  },
  testTimeout: 60000,
};
