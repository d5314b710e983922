import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, inject, it } from 'vitest'

// Runs the README's quick start as a user would, against the built package (`npm test` builds first).
it('runs the README quick start against DynamoDB Local', async () => {
  const { stdout } = await promisify(execFile)('node_modules/.bin/tsx', ['examples/quick-start.ts'], {
    env: { ...process.env, DYNAMODB_ENDPOINT: inject('dynamodbEndpoint') }
  })
  expect(stdout).toContain('Pattern A: bob: Hi Alice! | alice: Hi Bob!')
  expect(stdout).toContain('Pattern B: bob: Hi Alice!')
})
