// Figures of one scenario, as a console line and as docs/load.md's tables.
import type { Delivery } from './live.js'
import type { MemoryResult } from './memory.js'
import type { Verdict } from './verify.js'
import type { Attempt, LoadResult, Route } from './workload.js'

export interface ScenarioResult {
  name: string
  what: string
  /** Whether the server honoured `message_id` (else duplicates are counted, not failed). */
  idempotent: boolean
  load: LoadResult
  /** DynamoDB requests per operation, counted at the proxy during the load. */
  dynamoRequests: Record<string, number>
  faults: number
  rssKb: number
  peakRssKb: number
  verdict: Verdict & { convergedMs: number }
  event: string
  /** Virtual users of this run, when not the run's. */
  virtualUsers?: number
  /** With every user's event stream open: send-to-event latencies, over this many instances. */
  live?: Delivery & { instances: number }
}

const ROUTES: Route[] = ['send', 'read', 'list', 'markRead']
// The stream worker's own reads (polling even when idle) are not requests of an API call.
const STREAM_OPERATIONS = new Set(['DescribeStream', 'GetShardIterator', 'GetRecords', 'ListStreams', 'DescribeTable'])

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0))

export function latencies(attempts: readonly Attempt[], route: Route): { n: number; p50: number; p95: number; p99: number } {
  const sorted = attempts.filter((a) => a.route === route).map((a) => a.ms).sort((a, b) => a - b)
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) }
}

export function statuses(attempts: readonly Attempt[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const a of attempts) {
    // 500 and 503 apart: the API's contract is a 503 with Retry-After when DynamoDB is out of reach, never a 500.
    const key = a.timedOut
      ? 'timeout'
      : a.status === 0
        ? 'no answer'
        : a.status === 503 && a.retryAfter
          ? '503+Retry-After'
          : a.status >= 500
            ? String(a.status)
            : `${String(a.status)[0]}xx`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

export function dynamoPerRequest(result: ScenarioResult): { table: number; stream: number } {
  let table = 0
  let stream = 0
  for (const [operation, count] of Object.entries(result.dynamoRequests)) (STREAM_OPERATIONS.has(operation) ? (stream += count) : (table += count))
  const requests = result.load.attempts.length || 1
  return { table: table / requests, stream: stream / requests }
}

const rps = (r: ScenarioResult) => r.load.attempts.length / (r.load.durationMs / 1000)
const render = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
const verdictText = (v: ScenarioResult['verdict']) =>
  v.problems.length === 0 ? `ok (converged in ${(v.convergedMs / 1000).toFixed(1)} s)` : `${v.problems.length} problems, e.g. ${v.problems[0]}`

/** p50 / p99 of `values`, in ms, for a line of text. */
const spread = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 99))}`
}

/** The live events of a run: how many sends had an event, and how soon. */
function liveLine(live: NonNullable<ScenarioResult['live']>): string {
  const across = live.instances > 1 ? `; recipient on the other instance (${live.crossInstance.length}) ${spread(live.crossInstance)}` : ''
  return `send→event p50/p99 ms ${spread(live.all)} over ${live.all.length} of ${live.acked} acknowledged sends${across}`
}

export function summarize(r: ScenarioResult): string {
  const per = dynamoPerRequest(r)
  const routes = ROUTES.map((route) => {
    const l = latencies(r.load.attempts, route)
    return `${route} ${ms(l.p50)}/${ms(l.p95)}/${ms(l.p99)}`
  }).join(' ')
  return [
    `${r.name}: ${rps(r).toFixed(0)} req/s over ${(r.load.durationMs / 1000).toFixed(1)} s; p50/p95/p99 ms ${routes}`,
    `  statuses ${render(statuses(r.load.attempts))}; DynamoDB per API request ${per.table.toFixed(2)} (+ ${per.stream.toFixed(2)} stream reads); faults injected ${r.faults}`,
    `  RSS ${(r.rssKb / 1024).toFixed(0)} MB (peak ${(r.peakRssKb / 1024).toFixed(0)} MB); sends ${r.load.sends.length}: acked ${r.verdict.acknowledged}, unacked ${r.verdict.unacknowledged} (stored anyway ${r.verdict.unacknowledgedStored}), duplicates ${r.verdict.duplicates}, lost ${r.verdict.lost}; message_id honoured: ${r.idempotent}`,
    `  verification: ${verdictText(r.verdict)}${r.event ? `; ${r.event}` : ''}`,
    ...(r.live ? [`  live events: ${liveLine(r.live)}`] : [])
  ].join('\n')
}

const mibOf = (kb: number) => (kb / 1024).toFixed(1)

export function summarizeMemory(m: MemoryResult): string {
  const verdict = m.problems.length === 0 ? 'ok' : `${m.problems.length} problems: ${m.problems.join('; ')}`
  return `${m.name}: ${m.what}\n  ${mibOf(m.aboveIdleKb)} MiB above idle (goal ≤ ${mibOf(m.goalKb)} MiB); ${m.detail}\n  verification: ${verdict}`
}

/**
 * docs/load.md's live-events section: send-to-event latency with one server and with two (goal: p99 across instances
 * at most twice the single server's, or 25 ms above it), and the memory probes against their goals. Undefined unless
 * the run made all of them.
 */
export function liveMarkdown(
  results: readonly ScenarioResult[],
  memory: readonly MemoryResult[],
  context: { environment: string; size: Record<string, number> }
): string | undefined {
  const single = results.find((r) => r.name === 'live-single')?.live
  const two = results.find((r) => r.name === 'live-two-instances')?.live
  const streams = memory.find((m) => m.name === 'streams-1000')
  const stalled = memory.find((m) => m.name === 'stalled-20')
  if (!single || !two || !streams || !stalled) return undefined
  const p99 = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 99)
  const bound = Math.max(2 * p99(single.all), p99(single.all) + 25)
  const met = (yes: boolean) => (yes ? 'yes' : '**no**')
  return [
    `Measured with \`npm run bench:load\` (${Object.entries(context.size).map(([k, v]) => `${k} ${v}`).join(', ')}) on ${context.environment}.`,
    '',
    '| figure | measured | goal | met |',
    '|---|---|---|---|',
    `| send→event latency, one server (\`live-single\`, ${results.find((r) => r.name === 'live-single')?.virtualUsers ?? context.size.virtualUsers} virtual users), p50 / p99 ms | ${spread(single.all)} (${single.all.length} of ${single.acked} sends had an event) | the reference | – |`,
    `| send→event latency, two instances through Redis (\`live-two-instances\`, ${results.find((r) => r.name === 'live-two-instances')?.virtualUsers ?? context.size.virtualUsers} virtual users), p50 / p99 ms | ${spread(two.all)} (${two.all.length} of ${two.acked}); recipient on the other instance: ${spread(two.crossInstance)} (${two.crossInstance.length}) | p99 ≤ ${ms(bound)} ms (2× the single server's, or 25 ms above it) | ${met(p99(two.all) <= bound)} |`,
    ...[streams, stalled].map((m) => `| ${m.name}: ${m.what} | ${mibOf(m.aboveIdleKb)} MiB above idle: ${m.detail} | ≤ ${mibOf(m.goalKb)} MiB | ${met(m.aboveIdleKb <= m.goalKb)} |`)
  ].join('\n')
}

export function toMarkdown(results: readonly ScenarioResult[], context: { environment: string; size: Record<string, number>; command: string }): string {
  const lines = [
    `Measured with \`${context.command}\` (${Object.entries(context.size).map(([k, v]) => `${k} ${v}`).join(', ')}) on ${context.environment}.`,
    '',
    '| scenario | req/s | send p50/p95/p99 ms | read | list | markRead | statuses | DynamoDB req per API req (+ stream reads) | server RSS MB (peak) | sends: acked / unacked / duplicates / lost | verification |',
    '|---|---|---|---|---|---|---|---|---|---|---|'
  ]
  for (const r of results) {
    const per = dynamoPerRequest(r)
    const route = (name: Route) => {
      const l = latencies(r.load.attempts, name)
      return `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}`
    }
    lines.push(
      `| ${r.name}: ${r.what}${r.event ? ` (${r.event})` : ''} | ${rps(r).toFixed(0)} | ${route('send')} | ${route('read')} | ${route('list')} | ${route('markRead')} | ${render(statuses(r.load.attempts))} | ${per.table.toFixed(2)} (+ ${per.stream.toFixed(2)}) | ${(r.rssKb / 1024).toFixed(0)} (${(r.peakRssKb / 1024).toFixed(0)}) | ${r.verdict.acknowledged} / ${r.verdict.unacknowledged} / ${r.verdict.duplicates} / ${r.verdict.lost} | ${verdictText(r.verdict)} |`
    )
  }
  return lines.join('\n')
}
