import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

/** Requests and capacity of one kind of request. */
export interface OperationUsage {
  requests: number
  readUnits: number
  writeUnits: number
}

/** Every request a client sent since the last reset, by command, with the capacity DynamoDB reported for it. */
export interface OperationMeter {
  /** The totals and the breakdown by command (`UpdateItem`, `BatchGetItem`, …) since the last reset; resets. */
  take(): OperationUsage & { byCommand: Record<string, OperationUsage> }
  reset(): void
}

const DATA = /^(GetItem|Query|Scan|BatchGetItem|TransactGetItems|PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)Command$/

/**
 * Counts every request of `client` (and of document clients made from it) by command, and sums the capacity DynamoDB
 * reports for data requests at `INDEXES` level (index writes included). A failed request (a refused condition) counts
 * as a request; DynamoDB Local reports no capacity for it.
 */
export function meterOperations(client: DynamoDBClient): OperationMeter {
  let byCommand: Record<string, OperationUsage> = {}
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName)
      const data = DATA.exec(command)
      const name = data?.[1] ?? command.replace(/Command$/, '')
      const usage = (byCommand[name] ??= { requests: 0, readUnits: 0, writeUnits: 0 })
      usage.requests++
      if (data) args.input = { ...(args.input as object), ReturnConsumedCapacity: 'INDEXES' }
      const result = await next(args)
      const reported = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity
      const entries = (Array.isArray(reported) ? reported : reported ? [reported] : []) as Array<{ CapacityUnits?: number }>
      const units = entries.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0)
      if (/^(GetItem|Query|Scan|BatchGetItem|TransactGetItems)$/.test(name)) usage.readUnits += units
      else usage.writeUnits += units
      return result
    },
    { step: 'initialize', name: 'benchOperationMeter' }
  )
  return {
    take() {
      const taken = byCommand
      byCommand = {}
      const all = Object.values(taken)
      const sum = (field: keyof OperationUsage) => all.reduce((total, usage) => total + usage[field], 0)
      return { requests: sum('requests'), readUnits: sum('readUnits'), writeUnits: sum('writeUnits'), byCommand: taken }
    },
    reset() {
      byCommand = {}
    }
  }
}
