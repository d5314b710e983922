import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb'
import { expect, inject, it } from 'vitest'
import { runCli } from '../cli/runCli.js'
import { engineClient } from '../support/engine.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Runs a TypeScript file with tsx against the suite's DynamoDB Local, as a user would run it; returns its stdout. */
async function runTsx(file: string): Promise<string> {
  const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), [file], {
    cwd: root,
    env: { ...process.env, DYNAMODB_ENDPOINT: inject('dynamodbEndpoint') }
  })
  return stdout
}

// Runs the README's quick start as a user would, against the built package (`npm test` builds first).
it('runs the README quick start against DynamoDB Local', async () => {
  const stdout = await runTsx('examples/quick-start.ts')
  expect(stdout).toContain('Pattern A: bob: Hi Alice! | alice: Hi Bob!')
  expect(stdout).toContain('Pattern B: bob: Hi Alice!')
})

/** The code block that follows `marker` in README.md, and the plain block after it that shows its output. */
function readmeBlocks(marker: string): { code: string; output: string } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const at = readme.indexOf(marker)
  expect(at, `README.md has no "${marker}"`).toBeGreaterThanOrEqual(0)
  const [code, output] = [...readme.slice(at).matchAll(/^```(?:ts)?\n([\s\S]*?)^```$/gm)].map((match) => match[1]!)
  return { code: code!, output: output! }
}

it("runs the README's library snippet as pasted, with the steps the README gives before it", async () => {
  const { code, output } = readmeBlocks('runs the next code block as it stands')
  // "npx dynamo-messaging schema-load", unless the engine has the table already (DYNAMODB_ENDPOINT of your own).
  const client = engineClient()
  let created = false
  try {
    await client.send(new DescribeTableCommand({ TableName: 'cruddur-messages' }))
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error
    const schemaLoad = await runCli(['schema-load', '--endpoint', inject('dynamodbEndpoint')])
    expect(schemaLoad.stderr).toBe('')
    created = true
  }
  // Inside the repository, so that `dynamo-messaging` resolves to this package (`.scratch/` is git-ignored).
  const dir = join(root, '.scratch', `readme-${randomUUID()}`)
  mkdirSync(dir, { recursive: true })
  try {
    writeFileSync(join(dir, 'messaging.mts'), code)
    expect(await runTsx(join(dir, 'messaging.mts'))).toBe(output)
  } finally {
    rmSync(dir, { recursive: true, force: true })
    if (created) await runCli(['drop', '--endpoint', inject('dynamodbEndpoint')])
    client.destroy()
  }
})
