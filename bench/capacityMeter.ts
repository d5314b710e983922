import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

/** Capacity units summed over every request a client sent, split into reads and writes, index writes included. */
export interface CapacityTotals {
  read: number
  write: number
  requests: number
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand'])

/**
 * Asks DynamoDB for `ReturnConsumedCapacity: INDEXES` on every request of `client` and sums what it reports, so GSI
 * writes count. `reset()` starts a new measurement.
 */
export function meterCapacity(client: DynamoDBClient): { totals: () => CapacityTotals; reset: () => void } {
  let totals: CapacityTotals = { read: 0, write: 0, requests: 0 }
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>
      input.ReturnConsumedCapacity = 'INDEXES'
      const result = await next(args)
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
        (sum: number, entry: { CapacityUnits?: number }) => sum + (entry.CapacityUnits ?? 0),
        0
      )
      if (READS.has(String(context.commandName))) totals.read += units
      else totals.write += units
      totals.requests++
      return result
    },
    { step: 'initialize', name: 'benchCapacityMeter' }
  )
  return { totals: () => ({ ...totals }), reset: () => void (totals = { read: 0, write: 0, requests: 0 }) }
}
