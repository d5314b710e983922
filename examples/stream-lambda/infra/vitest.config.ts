import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The first import of aws-cdk-lib and a synth take a few seconds on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
