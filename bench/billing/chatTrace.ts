import { mulberry32 } from '../../test/support/prng.js'

/** One message of a synthetic chat trace: when (seconds from the start), in which conversation, from which side. */
export interface TraceMessage {
  at: number
  conversation: number
  from: 0 | 1
}

/** The trace's assumptions, stated so a reader can judge them (they are not fitted to a data set). */
export const TRACE_MODEL = {
  durationSeconds: 600,
  /** Share of conversations that are active during the trace; the others get one lone message (idle conversations). */
  activeShare: 0.3,
  /** Turns (a side's burst, then the other side's reply) per active conversation: 2 to 6. */
  turns: [2, 6],
  /** Messages per burst: geometric with this mean, at most 6. */
  burstMean: 2.5,
  /** Seconds between messages of one burst (typing the next line): 1 to 8. */
  withinBurst: [1, 8],
  /** Seconds before the other side replies: 5 to 60. */
  replyAfter: [5, 60]
} as const


/**
 * A chat trace over `conversations` two-person conversations, by TRACE_MODEL: a minority active, each in turns of
 * bursts (several messages from one side a few seconds apart) and replies tens of seconds later; the rest idle, with
 * one message somewhere in the window. Sorted by time. Pure and deterministic for a seed.
 */
export function chatTrace(conversations: number, seed = 1): TraceMessage[] {
  const random = mulberry32(seed)
  const between = ([low, high]: readonly [number, number]) => low + random() * (high - low)
  const m = TRACE_MODEL
  const trace: TraceMessage[] = []
  for (let conversation = 0; conversation < conversations; conversation++) {
    let at = random() * m.durationSeconds
    if (random() >= m.activeShare) {
      trace.push({ at, conversation, from: random() < 0.5 ? 0 : 1 })
      continue
    }
    const turns = Math.round(between(m.turns))
    let from: 0 | 1 = random() < 0.5 ? 0 : 1
    for (let turn = 0; turn < turns && at < m.durationSeconds; turn++) {
      let burst = 1
      while (burst < 6 && random() < 1 - 1 / m.burstMean) burst++
      for (let i = 0; i < burst; i++) {
        if (i > 0) at += between(m.withinBurst)
        trace.push({ at, conversation, from })
      }
      at += between(m.replyAfter)
      from = from === 0 ? 1 : 0
    }
  }
  return trace.sort((x, y) => x.at - y.at)
}

/**
 * The trace cut into stream batches as a Lambda event source mapping with `MaximumBatchingWindowInSeconds` =
 * `windowSeconds` delivers them from one shard: a batch closes when the window since its first record has passed, or at
 * `batchSize` records. (A window of 0 still gathers what arrives within one poll, about 0.25 s: pass that.)
 */
export function streamBatches<T extends { at: number }>(trace: readonly T[], windowSeconds: number, batchSize = 100): T[][] {
  const batches: T[][] = []
  let current: T[] = []
  for (const message of trace) {
    if (current.length > 0 && (message.at - current[0]!.at >= windowSeconds || current.length >= batchSize)) {
      batches.push(current)
      current = []
    }
    current.push(message)
  }
  if (current.length > 0) batches.push(current)
  return batches
}
