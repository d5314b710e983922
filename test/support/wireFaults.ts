import { afterAll, beforeEach, inject } from 'vitest'
import { localDynamoDbClient } from '../../src/local/index.js'
import { startFaultProxy, type ProxyRule } from './faultProxy.js'

/**
 * For a test file: a fault proxy in front of the run's engine and a client through it, with the SDK's retries off
 * (`maxAttempts` 1 unless given) so each fault reaches the code under test. Rules and counts are cleared before each
 * test; both are closed after the file. Call it with top-level `await`.
 *
 * @example
 * ```ts
 * const { proxy, client } = await wireFaults()
 * proxy.setRules([{ fault: 'throughput', operations: ['Query'] }])
 * ```
 */
export async function wireFaults(options: { maxAttempts?: number; seed?: number } = {}) {
  const proxy = await startFaultProxy({ target: inject('dynamodbEndpoint'), seed: options.seed ?? 1 })
  const client = localDynamoDbClient(proxy.endpoint, { maxAttempts: options.maxAttempts ?? 1 })
  beforeEach(() => {
    proxy.setRules([])
    proxy.resetStats()
  })
  afterAll(async () => {
    client.destroy()
    await proxy.stop()
  })
  return { proxy, client }
}

/**
 * A rule that lets requests through until `writes` requests whose operation matches `isWrite` have passed, then
 * answers every request with a 500, as if the process making them had died there. `written()` says how many passed.
 *
 * @example
 * ```ts
 * const death = dieAfterWrites(4, /Put|Delete|TransactWrite/)
 * proxy.setRules([death.rule])
 * ```
 */
export function dieAfterWrites(writes: number, isWrite: RegExp): { rule: ProxyRule; written: () => number } {
  let written = 0
  const dead = (_body: unknown, operation: string) => {
    if (written >= writes) return true
    if (isWrite.test(operation)) written++
    return false
  }
  return { rule: { fault: 'internal', match: dead }, written: () => written }
}
