import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeEach } from 'vitest'
import { engineClient } from './engine.js'

/**
 * What a fault rule decides for one request: let it through, fail it, answer it without the engine, let it through
 * and, once the engine answered, hold the answer until the promise `holdResponse()` returns settles (a slow reader
 * whose answer is older than what happens meanwhile), or let it through and fail after the engine acted on it (an
 * answer lost on the way back: the write happened, the caller cannot know).
 */
export type FaultDecision =
  | undefined
  | { fail: Error }
  | { answer: Record<string, unknown> }
  | { holdResponse: () => Promise<unknown> }
  | { failAfter: Error }
/** May be async, to make something happen (a concurrent writer committing) before the request is decided. */
export type FaultRule = (commandName: string, input: Record<string, unknown>) => FaultDecision | Promise<FaultDecision>

/**
 * Injects faults into one client, ahead of the SDK's own retries: for what a wire cannot carry (a transaction conflict
 * or cancellation at a chosen moment, a stale GSI, a held answer). Throttling, 5xx, resets, lost answers and outages
 * belong on the wire: faultProxy.ts (startFaultProxy) and wireFaults.ts. Everything the rule lets through reaches the
 * real engine. It runs outside the document client's (un)marshalling, so rules see and answer plain JavaScript values.
 * With `perAttempt`, the rule decides each attempt inside the SDK's retry loop instead, as a fault on the wire would:
 * the SDK retries what it classifies as retryable, and the caller sees the fault only once its attempts are spent.
 */
export function injectFaults(client: DynamoDBClient, rule: FaultRule, options: { perAttempt?: boolean } = {}): void {
  const middleware = <A extends { input: object }, R>(next: (args: A) => Promise<R>, context: { commandName?: string }) =>
    async (args: A): Promise<R> => {
      const decision = await rule(String(context.commandName), args.input as Record<string, unknown>)
      if (decision && 'fail' in decision) throw decision.fail
      if (decision && 'answer' in decision) return { output: { $metadata: {}, ...decision.answer }, response: {} } as R
      const result = await next(args)
      if (decision && 'failAfter' in decision) throw decision.failAfter
      if (decision && 'holdResponse' in decision) await decision.holdResponse().catch(() => {})
      return result
    }
  // `deserialize` runs once per attempt, inside the retry middleware of `finalizeRequest`.
  if (options.perAttempt) client.middlewareStack.add(middleware, { step: 'deserialize', name: 'testFaultInjectionPerAttempt' })
  else client.middlewareStack.add(middleware, { step: 'initialize', name: 'testFaultInjection' })
}

/** An error shaped like the SDK's, so retry and cancellation logic treat it as the real thing. */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $fault: 'server', $metadata: {}, ...extra })
}

/**
 * An engine client with the SDK's retries off, so each injected fault reaches the library, whose requests pass
 * through `faults.rule` (reset to let everything through before each test) after `observe` has seen them. Destroyed
 * after the file's tests: call it at the top level of a test module.
 */
export function faultyClient(observe: (commandName: string, input: Record<string, unknown>) => void = () => {}) {
  const letThrough: FaultRule = () => undefined
  const faults = { client: engineClient({ maxAttempts: 1 }), rule: letThrough }
  injectFaults(faults.client, (name, input) => {
    observe(name, input)
    return faults.rule(name, input)
  })
  beforeEach(() => {
    faults.rule = letThrough
  })
  afterAll(() => faults.client.destroy())
  return faults
}
