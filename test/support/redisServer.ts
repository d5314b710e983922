// A real redis-server for the cache tests and benchmarks (Debian's `redis-server` package), in memory, on a free
// loopback port, stopped by its pid. No mock of Redis anywhere.
import { spawn } from 'node:child_process'
import { connect } from 'node:net'
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

/** Starts `redis-server` without persistence on `port` (a free one by default) and waits until it answers PING. */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort())
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'pipe', 'pipe'] }
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
