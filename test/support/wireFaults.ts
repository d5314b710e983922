import { afterAll, beforeEach, inject } from 'vitest'
import { localDynamoDbClient } from '../../src/local/index.js'
import { startFaultProxy } from './faultProxy.js'

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
