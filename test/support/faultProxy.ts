// A fault-injecting HTTP proxy in front of DynamoDB Local, for tests and the load harness: the faults happen on the
// wire, so the SDK meets them exactly as it meets AWS's (its error parsing, retry strategy and connection pool run).
// Dependency-free (node:http) so the load harness can run it in its own process.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { mulberry32 } from './prng.js'

/** What the proxy does to a request a rule picked. */
export type ProxyFault =
  /** 400 with DynamoDB's JSON error: the provisioned-capacity throttle. */
  | 'throughput'
  /** 400 `ThrottlingException`: the control-plane / on-demand throttle. */
  | 'throttling'
  /** 500 `InternalServerError`. */
  | 'internal'
  /** 503 `ServiceUnavailable`. */
  | 'unavailable'
  /** The TCP connection is destroyed before any answer (the SDK sees ECONNRESET / socket hang up). */
  | 'reset'
  /** Forwarded after `latencyMs`. */
  | 'latency'
  /** Forwarded, and the engine acts on it; then the connection is destroyed before its answer: a lost answer. */
  | 'lostAnswer'

/**
 * One rule: requests for `operations` (all when omitted) that `match` get `fault` with probability `rate`, after the
 * first `after` of them, at most `times` times.
 */
export interface ProxyRule {
  fault: ProxyFault
  /** DynamoDB operation names as in `X-Amz-Target` (`PutItem`, `TransactWriteItems`, …); all when omitted. */
  operations?: readonly string[]
  /** A test's own condition on the request body (DynamoDB JSON: `{ Item: { pk: { S: … } } }`) and operation. */
  match?: (body: Record<string, unknown>, operation: string) => boolean
  /** Let the first `after` requests that match through untouched. Default 0. */
  after?: number
  /** 0 to 1, drawn from the proxy's seeded generator. Default 1. */
  rate?: number
  /** Only the first `times` requests that match (after `rate`); unlimited when omitted. */
  times?: number
  /** For `latency`: the delay in milliseconds. Default 100. */
  latencyMs?: number
}

export interface FaultProxyOptions {
  /** DynamoDB Local's endpoint, e.g. `http://127.0.0.1:8000`. */
  target: string
  /** Port to listen on (127.0.0.1); a free one when omitted. */
  port?: number
  /** Seed of the generator deciding `rate`s, so a run repeats. Default 1. */
  seed?: number
  rules?: readonly ProxyRule[]
}

export interface FaultProxy {
  /** The proxy's endpoint, to hand to a DynamoDB client instead of the target. */
  readonly endpoint: string
  readonly port: number
  /** Replaces the rules (their `times` counters start again). */
  setRules(rules: readonly ProxyRule[]): void
  /** Refuses all traffic for `ms` milliseconds: open connections are destroyed, new ones closed as they arrive. */
  cut(ms: number): void
  /** Requests seen per operation, and faults injected per operation and fault. */
  readonly stats: { requests: Record<string, number>; faults: Record<string, number> }
  /** Zeroes {@link stats}. */
  resetStats(): void
  stop(): Promise<void>
}

// The shapes DynamoDB answers with (JSON 1.0 protocol): the SDK reads the name after '#' in `__type`.
const errorAnswers = {
  throughput: [400, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.'],
  throttling: [400, 'com.amazon.coral.availability#ThrottlingException', 'Rate of requests exceeds the allowed throughput.'],
  internal: [500, 'com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error'],
  unavailable: [503, 'com.amazon.coral.availability#ServiceUnavailableException', 'Service unavailable']
} as const

/**
 * Starts the proxy on 127.0.0.1.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy({ target: endpoint, seed: 7, rules: [{ fault: 'throughput', rate: 0.05 }] })
 * const client = localDynamoDbClient(proxy.endpoint)
 * proxy.cut(5_000) // DynamoDB unreachable for 5 s
 * ```
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target)
  const random = mulberry32(options.seed ?? 1)
  let rules: { rule: ProxyRule; left: number; skip: number }[] = []
  let cutUntil = 0
  let requestCounter = 0
  const sockets = new Set<Socket>()
  const stats = { requests: {} as Record<string, number>, faults: {} as Record<string, number> }
  const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1)

  const setRules = (next: readonly ProxyRule[]) => {
    rules = next.map((rule) => ({ rule, left: rule.times ?? Infinity, skip: rule.after ?? 0 }))
  }
  setRules(options.rules ?? [])

  /** The first rule that fires for this request; every rule with a rate draws, so decisions do not depend on order. */
  const decide = (operation: string, body: Buffer): ProxyRule | undefined => {
    let chosen: ProxyRule | undefined
    for (const entry of rules) {
      if (entry.rule.operations && !entry.rule.operations.includes(operation)) continue
      if (entry.rule.match && !entry.rule.match(JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>, operation)) continue
      if (entry.skip > 0) {
        entry.skip--
        continue
      }
      const fires = random() < (entry.rule.rate ?? 1)
      if (!fires || chosen || entry.left <= 0) continue
      entry.left--
      chosen = entry.rule
    }
    return chosen
  }

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, loseAnswer = false) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (loseAnswer) {
          answer.resume()
          return void answer.on('end', () => req.socket.destroy())
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    // The engine down (killed, restarting) looks to the client as a reset connection, as an unreachable host would.
    upstream.on('error', () => req.socket.destroy())
    upstream.end(body)
  }

  const server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() || 'unknown'
    bump(stats.requests, operation)
    if (Date.now() < cutUntil) return void req.socket.destroy()
    // Bodies are small JSON: read whole, so rules can look at them and a refused request is never half-sent.
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const rule = decide(operation, body)
      if (!rule) return forward(req, res, body)
      bump(stats.faults, `${operation}:${rule.fault}`)
      if (rule.fault === 'latency') return void setTimeout(() => forward(req, res, body), rule.latencyMs ?? 100)
      if (rule.fault === 'lostAnswer') return forward(req, res, body, true)
      if (rule.fault === 'reset') return void req.socket.destroy()
      const [status, type, message] = errorAnswers[rule.fault]
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-proxy-${++requestCounter}` })
      res.end(JSON.stringify({ __type: type, message }))
    })
  })
  server.keepAliveTimeout = 5_000
  server.on('connection', (socket) => {
    if (Date.now() < cutUntil) return void socket.destroy()
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as { port: number }).port

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    setRules,
    cut(ms) {
      cutUntil = Date.now() + ms
      for (const socket of sockets) socket.destroy()
    },
    stats,
    resetStats() {
      for (const counts of [stats.requests, stats.faults]) for (const key of Object.keys(counts)) delete counts[key]
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
