import type { MessagingClient } from '../createMessaging.js'
import { meterCapacity, type CapacityUsage } from './capacityMeter.js'
import { withClient } from './connection.js'
import type { Target } from './errors.js'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

/** Runs `action` with the library on the target table, and returns its result with the capacity it consumed. */
export async function withMessaging<T>(
  target: Target,
  action: (messaging: MessagingClient, client: DynamoDBClient) => Promise<T>,
  options: { writes?: boolean } = {}
): Promise<{ result: T; usage: CapacityUsage }> {
  return withClient(target, async (client) => {
    const meter = meterCapacity(client)
    const { createMessaging } = await import('../createMessaging.js')
    const result = await action(createMessaging({ client, tableName: target.tableName }), client)
    return { result, usage: meter.snapshot() }
  }, options)
}
