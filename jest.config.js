/** ts-jest with isolatedModules: type-checking is `npm run typecheck`'s job, tests stay fast.
 *  Target ES2022 matters: the compiler reads update() sources, which must stay loops, not ES5 rewrites. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleNameMapper: {
    '^brainweave$': '<rootDir>/src/index.ts',
    '^brainweave/connectors$': '<rootDir>/connectors/index.ts',
    '^brainweave/models$': '<rootDir>/models/index.ts',
  },
  testTimeout: 60000,
};
