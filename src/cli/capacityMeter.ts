import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

/** Running totals of the capacity DynamoDB reported for a client's requests. */
export interface CapacityUsage {
  readUnits: number
  writeUnits: number
  /** Requests that reported capacity. */
  requests: number
}

/** A live view of the totals; {@link CapacityMeter.snapshot} copies them, e.g. to report one step apart. */
export interface CapacityMeter extends Readonly<CapacityUsage> {
  snapshot(): CapacityUsage
  /** Starts counting again from zero. */
  reset(): void
}

// Only these accept ReturnConsumedCapacity; the others (ListTables, DescribeTable, …) are left untouched.
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand'])
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand'
])

/**
 * Makes every data request of `client` return `ConsumedCapacity` (`TOTAL`) and sums `CapacityUnits`, as the seeds'
 * pattern scripts printed it. Document clients made from `client` share its middleware stack, so requests sent by the
 * library (through dynamodb-toolbox) are counted too.
 *
 * @example
 * ```ts
 * const meter = meterCapacity(client)
 * await createMessaging({ client }).listMessages({ messageGroupUuid })
 * console.log(meter.readUnits) // 0.5
 * ```
 */
export function meterCapacity(
  client: DynamoDBClient,
  options: { level?: 'TOTAL' | 'INDEXES' } = {}
): CapacityMeter {
  // INDEXES also reports index writes (the benchmarks need them); TOTAL is what the seeds' scripts printed.
  const level = options.level ?? 'TOTAL'
  const usage: CapacityUsage = { readUnits: 0, writeUnits: 0, requests: 0 }
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName)
      const read = READS.has(command)
      if (!read && !WRITES.has(command)) return next(args)
      const input = args.input as { ReturnConsumedCapacity?: string }
      if (input.ReturnConsumedCapacity !== 'INDEXES') args.input = { ...input, ReturnConsumedCapacity: level }
      const result = await next(args)
      const reported = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity
      const entries = Array.isArray(reported) ? reported : reported ? [reported] : []
      if (entries.length === 0) return result
      const units = entries.reduce((sum: number, entry: { CapacityUnits?: number }) => sum + (entry.CapacityUnits ?? 0), 0)
      if (read) usage.readUnits += units
      else usage.writeUnits += units
      usage.requests++
      return result
    },
    { step: 'initialize', name: 'cliCapacityMeter', override: true }
  )
  return {
    get readUnits() {
      return usage.readUnits
    },
    get writeUnits() {
      return usage.writeUnits
    },
    get requests() {
      return usage.requests
    },
    snapshot: () => ({ ...usage }),
    reset: () => Object.assign(usage, { readUnits: 0, writeUnits: 0, requests: 0 })
  }
}
