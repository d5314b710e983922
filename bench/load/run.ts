// `npm run bench:load` (full; writes its figures into docs/load.md) or `npm run bench:load -- --quick` (CI: short
// runs, printed only). Options: `--scenario=a,b` runs only those scenarios; `--write` writes a quick run's figures. Exits non-zero when a run's verification
// finds a problem. See docs/load.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProxyRule } from '../../test/support/faultProxy.js'
import { freePort } from '../../test/support/processes.js'
import { startRedisServer, type RedisServer } from '../../test/support/redisServer.js'
import { summarize, toMarkdown, type ScenarioResult } from './report.js'
import { ApiServerProcess, createTable, startStack, type Stack } from './stack.js'
import { verifyTable } from './verify.js'
import { makeUsers, probeIdempotency, runLoad, startConversations, startGroups, type Conversation, type LoadUser, type Send } from './workload.js'

const quick = process.argv.includes('--quick')
const only = process.argv.find((arg) => arg.startsWith('--scenario='))?.slice('--scenario='.length).split(',')

/** Each of the four wire faults at the rate that makes `total` of requests fail, drawn independently. */
const faultMix = (total: number): ProxyRule[] => {
  const each = 1 - (1 - total) ** (1 / 4)
  return (['throughput', 'throttling', 'internal', 'unavailable'] as const).map((fault) => ({ fault, rate: each }))
}

interface Scenario {
  name: string
  what: string
  cache?: 'redis'
  rules?: ProxyRule[]
  /** Groups started among the direct conversations (their size from `size.groupSize`). */
  groups?: boolean
  /** What happens a third of the way into the run. */
  event?: (stack: Stack, server: ApiServerProcess) => Promise<string>
}

async function killServer(_stack: Stack, server: ApiServerProcess): Promise<string> {
  const started = Date.now()
  await server.kill()
  await server.start()
  return `API server down ${((Date.now() - started) / 1000).toFixed(1)} s`
}

const size = quick
  ? { users: 24, perUser: 2, virtualUsers: 12, durationMs: 7_000, maxRequests: 3_000, groups: 3, groupSize: 8 }
  : { users: 100, perUser: 2, virtualUsers: 24, durationMs: 30_000, maxRequests: 50_000, groups: 4, groupSize: 50 }

const scenarios: Scenario[] = [
  { name: 'baseline', what: 'no faults, no cache' },
  { name: 'baseline-redis', what: 'no faults, Redis cache (API and stream worker share it)', cache: 'redis' },
  { name: 'groups', what: `${size.groups} groups of ${size.groupSize} members among the direct conversations (every user in about ${Math.round((size.groups * size.groupSize) / size.users)}), no faults, no cache`, groups: true },
  { name: 'faults-5', what: 'throttling (both kinds) and 500/503 on 5% of DynamoDB requests', rules: faultMix(0.05) },
  { name: 'faults-20', what: 'throttling (both kinds) and 500/503 on 20% of DynamoDB requests', rules: faultMix(0.2) },
  {
    name: 'cut-5s',
    what: 'the proxy cuts all DynamoDB traffic for 5 s',
    event: async (stack) => {
      stack.proxy.cut(5_000)
      await new Promise((resolve) => setTimeout(resolve, 5_000))
      return 'traffic cut 5 s'
    }
  },
  {
    name: 'dynamodb-kill',
    what: 'DynamoDB Local SIGKILLed, restarted on the same port and data directory',
    event: async (stack) => {
      const started = Date.now()
      await stack.engine.kill()
      await stack.engine.restart()
      return `DynamoDB Local down ${((Date.now() - started) / 1000).toFixed(1)} s`
    }
  },
  {
    name: 'server-kill',
    what: 'the API server (and its in-process stream worker) SIGKILLed mid-load, restarted',
    // Row updates conditioned on a revision (Pattern D's, and markRead's) held 300 ms at the proxy: the kill finds the
    // worker inside a batch, some of its rows written and others in flight.
    rules: [{ fault: 'latency', operations: ['UpdateItem'], match: (body) => String(body.ConditionExpression).includes('#rev = :rev'), latencyMs: 300 }],
    event: killServer
  }
]

const dataDir = mkdtempSync(join(tmpdir(), 'bench-load-'))
// Ctrl-C or a kill of the harness: exit, so the supervisors' exit handlers stop every process it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    rmSync(dataDir, { recursive: true, force: true })
    process.exit(130)
  })
}
const usersFile = join(dataDir, 'users.json')
const users: LoadUser[] = makeUsers(size.users, usersFile)
const results: ScenarioResult[] = []
let failed = false
const stack = await startStack(dataDir, 13)
let redis: RedisServer | undefined
try {
  for (const scenario of scenarios.filter((s) => !only || only.includes(s.name))) {
    if (scenario.cache === 'redis') redis ??= await startRedisServer()
    const result = await runScenario(scenario)
    results.push(result)
    const line = summarize(result)
    console.log(line)
    if (result.verdict.problems.length > 0) {
      failed = true
      console.log(`  problems (${result.verdict.problems.length}):\n    ${result.verdict.problems.slice(0, 10).join('\n    ')}`)
    }
  }
} finally {
  await redis?.stop()
  await stack.stop()
  rmSync(dataDir, { recursive: true, force: true })
}

// The full run writes its table into docs/load.md; `--write` makes a quick run do so too (the table says which).
if ((!quick && !only) || process.argv.includes('--write')) {
  const environment = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} shared by every process of the run, DynamoDB Local 3.3 on disk`
  const doc = readFileSync('docs/load.md', 'utf8')
  const [begin, end] = ['<!-- load-results:begin -->', '<!-- load-results:end -->']
  const table = toMarkdown(results, { environment, size, command: quick ? 'npm run bench:load -- --quick --write' : 'npm run bench:load' })
  writeFileSync('docs/load.md', doc.slice(0, doc.indexOf(begin) + begin.length) + '\n' + table + '\n' + doc.slice(doc.indexOf(end)))
  console.log('wrote docs/load.md')
}
process.exit(failed ? 1 : 0)

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const tableName = `load-${scenario.name}-${Date.now().toString(36)}`
  await createTable(stack.direct, tableName)
  stack.proxy.setRules([])
  const server = new ApiServerProcess({
    port: await freePort(),
    tableName,
    endpoint: stack.proxy.endpoint,
    usersFile,
    ...(scenario.cache === 'redis' && redis && { redisUrl: redis.url })
  })
  await server.start()
  let eventNote = ''
  try {
    const direct = await startConversations(server.url, users, size.perUser)
    const conversations = scenario.groups ? [...direct, ...(await startGroups(stack.direct, tableName, users, size.groups, size.groupSize))] : direct
    const idempotent = await probeIdempotency(server.url, conversations[0]!)
    stack.proxy.setRules(scenario.rules ?? [])
    stack.proxy.resetStats()
    const load = await runLoad({
      baseUrl: server.url,
      users,
      conversations,
      virtualUsers: size.virtualUsers,
      durationMs: size.durationMs,
      maxRequests: size.maxRequests,
      requestTimeoutMs: 10_000,
      sendAttempts: 8,
      seed: 7,
      ...(scenario.event && { event: { atMs: size.durationMs / 3, run: async () => void (eventNote = await scenario.event!(stack, server)) } })
    })
    const dynamoRequests = { ...stack.proxy.stats.requests }
    const faults = Object.values(stack.proxy.stats.faults).reduce((a, b) => a + b, 0)
    stack.proxy.setRules([])
    const rssKb = server.sampleRss()
    let verdict = await verifyTable(stack.direct, tableName, conversations, load.sends, { exactlyOnce: idempotent, timeoutMs: quick ? 20_000 : 60_000 })
    let repaired: string | undefined
    if (verdict.problems.length > 0 && scenario.name === 'dynamodb-kill') {
      // Only if the stream lost records across the restart: repair brings the rows back from the messages.
      const { repairTable } = await import('../../src/admin/index.js')
      const result = await repairTable({ client: stack.direct, tableName, scope: 'all' })
      repaired = JSON.stringify(result)
      verdict = await verifyTable(stack.direct, tableName, conversations, load.sends, { exactlyOnce: idempotent, timeoutMs: 5_000 })
    }
    // The API's side of the contract: DynamoDB's faults come back as 503 + Retry-After, never a 500 or a hang.
    const contract = load.attempts.filter((a) => a.timedOut || a.status === 500 || (a.status === 503 && !a.retryAfter))
    if (contract.length > 0) {
      verdict.problems.push(`${contract.length} answers were a 500, a 503 without Retry-After or no answer within 10 s`)
    }
    return {
      name: scenario.name,
      what: scenario.what,
      idempotent,
      load,
      dynamoRequests,
      faults,
      rssKb,
      peakRssKb: server.peakRssKb,
      verdict,
      event: [eventNote, groupSends(conversations, load.sends), load.eventError && `event failed: ${load.eventError}`, repaired && `repair: ${repaired}`].filter(Boolean).join('; ')
    }
  } finally {
    await server.stop()
  }
}

/** How many of the sends went into groups, when the scenario has any. */
function groupSends(conversations: readonly Conversation[], sends: readonly Send[]): string {
  const groups = new Set(conversations.filter((c) => c.kind === 'group').map((c) => c.messageGroupUuid))
  if (groups.size === 0) return ''
  const into = sends.filter((send) => groups.has(send.messageGroupUuid))
  return `${into.length} of ${sends.length} sends into groups (${into.filter((send) => send.acked).length} acknowledged)`
}
