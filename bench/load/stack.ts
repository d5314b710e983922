// The system under load, each part a real process on loopback: DynamoDB Local (Java, data on disk), the fault proxy
// (in this process), optionally redis-server, and the example API server with its stream worker (a child process, so
// it can be SIGKILLed and restarted).
import { spawn, type ChildProcess } from 'node:child_process'
import { CreateTableCommand, DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { tableDefinition } from '../../src/index.js'
import { localDynamoDbClient, startDynamoDbLocal, type LocalDynamoDb } from '../../src/local/index.js'
import { superviseChild } from '../../src/local/superviseChild.js'
import { startFaultProxy, type FaultProxy } from '../../test/support/faultProxy.js'
import { freePort, isGone, resetPeakRss, rssOf } from '../../test/support/processes.js'

/** DynamoDB Local on a fixed port and data directory, so it can be killed and come back where it was. */
export class Engine {
  private local!: LocalDynamoDb
  private constructor(
    readonly port: number,
    /** Where its data is: a new directory on {@link Engine.renew}. */
    private dbPath: string
  ) {}

  static async start(dbPath: string): Promise<Engine> {
    const engine = new Engine(await freePort(), dbPath)
    engine.local = await startDynamoDbLocal({ port: engine.port, dbPath, timeoutMs: 60_000 })
    return engine
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** SIGKILL to the Java process: no shutdown of any kind. */
  async kill(): Promise<void> {
    const pid = this.local.pid!
    process.kill(pid, 'SIGKILL')
    while (!isGone(pid)) await new Promise((resolve) => setTimeout(resolve, 50))
    await this.local.stop() // releases the supervisor's handlers and watchdog
  }

  async restart(): Promise<void> {
    this.local = await startDynamoDbLocal({ port: this.port, dbPath: this.dbPath, timeoutMs: 60_000 })
  }

  /**
   * Stops DynamoDB Local and starts it again on the same port with an empty data directory: it keeps every stream's
   * records (a dropped table's too) in one database on disk, and a scenario run after another was several times
   * slower for it (`baseline` twice in a row: 63, then 10 requests a second).
   */
  async renew(dbPath: string): Promise<void> {
    await this.local.stop()
    this.dbPath = dbPath
    await this.restart()
  }

  stop(): Promise<void> {
    return this.local.stop()
  }
}

/** Creates a fresh table (stream on, both indexes) directly on the engine, not through the proxy. */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(tableDefinition({ tableName, billing: 'on-demand' })))
}

/**
 * Drops a scenario's table once it is verified: DynamoDB Local keeps every table (and its stream) in one database on
 * disk, and a scenario run after another with its table left in place was several times slower.
 */
export async function dropTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => {})
}

export interface ServerOptions {
  port: number
  tableName: string
  /** Where the server reaches DynamoDB: the proxy. */
  endpoint: string
  usersFile: string
  redisUrl?: string
  /** Run Pattern D in the server (default), or leave it to a {@link WorkerProcess}. */
  streamWorker?: boolean
  /** More environment: limits, `STREAM_TOKEN_SECRET`, `LOG_LEVEL`. */
  env?: Record<string, string>
}

/** The environment of `main.ts` or `worker.ts` for `options`. */
function serverEnv(options: Omit<ServerOptions, 'port'> & { port?: number }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    TABLE_NAME: options.tableName,
    DYNAMODB_ENDPOINT: options.endpoint,
    // Twice the server's default per-attempt timeout: DynamoDB Local on a busy 2-core machine answers far slower than AWS.
    DYNAMODB_TIMEOUT_MS: '2000',
    USERS_FILE: options.usersFile,
    STREAM_WORKER: options.streamWorker === false ? 'off' : 'on',
    LOG_LEVEL: 'fatal',
    REDIS_URL: options.redisUrl ?? '',
    MOMENTO_API_KEY: '',
    ...options.env
  }
}

/** The stream worker alone (`examples/api-server/src/worker.ts`, `npm run worker`), as the stream Lambda on AWS. */
export class WorkerProcess {
  private supervisor?: { stop(): Promise<void> }

  constructor(readonly options: Omit<ServerOptions, 'port' | 'streamWorker'>) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/api-server/src/worker.ts'], { env: serverEnv(this.options), stdio: ['ignore', 'pipe', 'pipe'] })
    this.supervisor = superviseChild(child)
    let output = ''
    const collect = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4_000))
    child.stdout!.on('data', collect)
    child.stderr!.on('data', collect)
    const deadline = Date.now() + 60_000
    while (!output.includes('Ctrl-C stops it.')) {
      if (child.exitCode !== null) throw new Error(`stream worker exited at start:\n${output}`)
      if (Date.now() > deadline) throw new Error(`stream worker did not start within 60 s:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  async stop(): Promise<void> {
    await this.supervisor?.stop()
  }
}

/** The example API server (`examples/api-server/src/main.ts`) with its in-process stream worker, as one node process. */
export class ApiServerProcess {
  private child!: ChildProcess
  private supervisor!: { stop(): Promise<void> }
  private output = ''
  peakRssKb = 0
  private sampler?: NodeJS.Timeout

  constructor(readonly options: ServerOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`
  }

  get pid(): number {
    return this.child.pid!
  }

  async start(): Promise<void> {
    const { options } = this
    // `node --import tsx` (not the tsx CLI, which forks): the pid killed and measured is the server itself.
    this.child = spawn(process.execPath, ['--import', 'tsx', 'examples/api-server/src/main.ts'], { env: serverEnv(options), stdio: ['ignore', 'pipe', 'pipe'] })
    // Killed with the harness, however it ends.
    this.supervisor = superviseChild(this.child)
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4_000)))
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4_000)))
    const deadline = Date.now() + 60_000
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`API server exited at start:\n${this.output}`)
      const ready = await fetch(`${this.url}/api/message_groups`, { signal: AbortSignal.timeout(2_000), headers: { authorization: 'Bearer dev:nobody' } })
        .then((response) => response.status > 0)
        .catch(() => false)
      if (ready) break
      if (Date.now() > deadline) throw new Error(`API server did not answer within 60 s:\n${this.output}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    this.sampler = setInterval(() => this.sampleRss(), 250)
  }

  /** Resident memory now and its peak so far (Linux /proc), in KB. */
  sampleRss(): number {
    const rss = rssOf(this.child.pid!)
    this.peakRssKb = Math.max(this.peakRssKb, rss)
    return rss
  }

  /** The kernel's own peak of resident memory since {@link resetPeak} (`VmHWM`), in KB: no sample can miss it. */
  highWaterKb(): number {
    return rssOf(this.child.pid!, 'VmHWM')
  }

  /** Starts the kernel's peak afresh (`/proc/<pid>/clear_refs`). */
  resetPeak(): void {
    resetPeakRss(this.child.pid!)
  }

  async kill(): Promise<void> {
    clearInterval(this.sampler)
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve))
      this.child.kill('SIGKILL')
      await exited
    }
    await this.supervisor.stop() // the process is gone: this only releases the supervisor
  }

  /** SIGTERM (SIGKILL after 5 s): the server closes, finishes in-flight requests and stops its worker. */
  async stop(): Promise<void> {
    clearInterval(this.sampler)
    await this.supervisor.stop()
  }
}

export interface Stack {
  engine: Engine
  proxy: FaultProxy
  /** Straight to the engine (never through the proxy): setup and after-run verification. */
  direct: DynamoDBClient
  stop(): Promise<void>
}

export async function startStack(dbPath: string, seed: number): Promise<Stack> {
  const engine = await Engine.start(dbPath)
  const proxy = await startFaultProxy({ target: engine.endpoint, seed })
  const direct = localDynamoDbClient(engine.endpoint)
  return {
    engine,
    proxy,
    direct,
    async stop() {
      direct.destroy()
      await proxy.stop()
      await engine.stop()
    }
  }
}
