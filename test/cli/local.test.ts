import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { localDynamoDbClient } from '../../src/local/index.js'
import { freePort, isGone, javaUnder } from '../support/processes.js'
import { CLI, cleanEnv, oneErrorLine, runCli } from './runCli.js'

/** `dynamo-messaging local --port <port>` as a child process, its output collected, once it says it is running. */
async function runningLocal(port: number) {
  const child = spawn(process.execPath, [CLI, 'local', '--port', String(port)], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  const output = { stdout: '', stderr: '' }
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const deadline = Date.now() + 40_000
  let match: RegExpExecArray | null
  while (!(match = /running at (http:\/\/\S+)/.exec(output.stdout))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`no endpoint printed within 40 s; stderr: ${output.stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { child, output, exited, endpoint: match[1]! }
}

describe('local', () => {
  it('runs DynamoDB Local on the given port until SIGINT, then stops its Java process and exits 0', async () => {
    const port = await freePort()
    const { child, output, exited, endpoint } = await runningLocal(port)
    try {
      expect(endpoint).toBe(`http://127.0.0.1:${port}`)

      const client = localDynamoDbClient(endpoint)
      try {
        expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([])
      } finally {
        client.destroy()
      }

      const javaPids = javaUnder(child.pid!)
      expect(javaPids).toHaveLength(1)

      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(output.stdout).toContain('DynamoDB Local stopped')
      expect(isGone(javaPids[0]!)).toBe(true)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  it('fails with one error line and exit code 1 when its Java dies while it runs', async () => {
    const port = await freePort()
    const { child, output, exited } = await runningLocal(port)
    try {
      const [java] = javaUnder(child.pid!)
      process.kill(java!, 'SIGKILL')
      expect(await exited).toBe(1)
      expect(output.stderr.trim().split('\n').at(-1)).toBe(
        `error: DynamoDB Local stopped on its own (SIGKILL): http://127.0.0.1:${port} no longer answers`
      )
      expect(output.stdout).not.toContain('DynamoDB Local stopped\n')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  it('refuses a port that is already taken, with one error line', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, resolve))
    const { port } = server.address() as { port: number }
    try {
      const result = await runCli(['local', '--port', String(port)])
      expect(result.code).toBe(1)
      expect(oneErrorLine(result)).toBe(`error: port ${port} is already in use (another DynamoDB Local?); pick one with --port`)
    } finally {
      server.close()
    }
  })
})
