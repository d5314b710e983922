import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { localDynamoDbClient } from '../../src/local/index.js'
import { freePort, isGone, javaUnder } from '../support/processes.js'
import { CLI, cleanEnv, oneErrorLine, runCli } from './runCli.js'

describe('local', () => {
  it('runs DynamoDB Local on the given port until SIGINT, then stops its Java process and exits 0', async () => {
    const port = await freePort()
    const child = spawn(process.execPath, [CLI, 'local', '--port', String(port)], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no endpoint printed within 40 s; stderr: ${stderr}`)), 40_000)
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString()
          const match = /running at (http:\/\/\S+)/.exec(stdout)
          if (match) clearTimeout(timer), resolve(match[1]!)
        })
        child.once('exit', () => reject(new Error(`exited early: ${stderr}`)))
      })
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
      expect(stdout).toContain('DynamoDB Local stopped')
      expect(isGone(javaPids[0]!)).toBe(true)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  it('fails with one error line and exit code 1 when its Java dies while it runs', async () => {
    const port = await freePort()
    const child = spawn(process.execPath, [CLI, 'local', '--port', String(port)], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const deadline = Date.now() + 40_000
      while (!stdout.includes('running at')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`not running: ${stderr}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const [java] = javaUnder(child.pid!)
      process.kill(java!, 'SIGKILL')
      expect(await exited).toBe(1)
      expect(stderr.trim().split('\n').at(-1)).toBe(
        `error: DynamoDB Local stopped on its own (SIGKILL): http://127.0.0.1:${port} no longer answers`
      )
      expect(stdout).not.toContain('DynamoDB Local stopped\n')
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
