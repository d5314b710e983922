// A real redis-server for the cache tests and benchmarks (Debian's `redis-server` package), in memory, on a free
// loopback port, stopped by its pid. No mock of Redis anywhere.
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { superviseChild } from '../../src/local/superviseChild.js'
import { freePort } from './processes.js'

export interface RedisServer {
  readonly url: string
  readonly port: number
  /** The redis-server process, to kill by pid. */
  readonly pid: number
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>
}

export const REDIS_MISSING =
  'redis-server is not installed: `apt-get install redis-server` (Debian, Ubuntu; .ci/run does it), or set REDIS_URL ' +
  'to a running Redis'

/**
 * Starts `redis-server` without persistence on `port` (a free one by default) and waits until it answers PING.
 * `args` are more options (a cluster node's), `cwd` where it writes any file (a cluster node's `nodes.conf`).
 */
export async function startRedisServer(options: { port?: number; args?: readonly string[]; cwd?: string } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort())
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning', ...(options.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd !== undefined && { cwd: options.cwd }) }
  )
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'ENOENT' ? REDIS_MISSING : `redis-server failed to start: ${error.message}`))
    )
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before answering:\n${output}`)))
  })
  failed.catch(() => {})
  const { stop } = superviseChild(child)
  try {
    await Promise.race([waitForPong(port, 10_000), failed])
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid!, stop }
}

/** Polls PING over a raw socket until +PONG. */
async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await pong(port)) return
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    let reply = ''
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) {
        socket.destroy()
        resolve(reply.startsWith('+PONG'))
      }
    })
    socket.once('error', () => resolve(false))
  })
}

export interface RedisCluster {
  /** The nodes, each a primary with a third of the slots (no replicas). */
  readonly nodes: readonly RedisServer[]
  /** `[{ host, port }]` of every node: the start-up nodes of an ioredis `Cluster`. */
  readonly startupNodes: Array<{ host: string; port: number }>
  /** Stops every node and removes their working directory. */
  stop(): Promise<void>
}

/**
 * A Redis Cluster of `size` (default 3) primaries on free loopback ports, as ElastiCache Serverless runs (cluster
 * mode, without its TLS): each node a {@link startRedisServer} with `--cluster-enabled yes`, joined by `redis-cli
 * --cluster create` (redis-cli comes with Debian's redis-server, in redis-tools), ready once every node reports
 * `cluster_state:ok`.
 */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'))
  const nodes: RedisServer[] = []
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    for (let i = 0; i < size; i++) {
      const port = await freePort()
      // Each node's nodes.conf in the shared directory, named by port; a short node timeout for quick failure tests.
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000']
      nodes.push(await startRedisServer({ port, args, cwd: dir }))
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`)
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']).catch((error: NodeJS.ErrnoException) => {
      throw new Error(error.code === 'ENOENT' ? `redis-cli is not installed: \`apt-get install redis-tools\`` : `redis-cli --cluster create failed: ${error.message}`)
    })
    const deadline = Date.now() + 20_000
    for (const node of nodes) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(node.port), 'cluster', 'info'])
        if (stdout.includes('cluster_state:ok')) break
        if (Date.now() > deadline) throw new Error(`the cluster did not come up within 20 s:\n${stdout}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    return { nodes, startupNodes: nodes.map((node) => ({ host: '127.0.0.1', port: node.port })), stop }
  } catch (error) {
    await stop()
    throw error
  }
}

const run = promisify(execFile)
