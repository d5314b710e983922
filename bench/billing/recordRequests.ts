import {
  DescribeTableCommand,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
  type QueryCommandInput,
  type ScanCommandInput
} from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { billRequest, sumUnits, type BilledUnits, type RecordedRequest } from './billRequest.js'
import { itemSize, type RawItem } from './itemSize.js'
import { schemaOf, type TableSchema } from './tableSchema.js'

/** Every data request a client sent since the last reset, and what AWS would bill for them. */
export interface RequestRecorder {
  readonly requests: ReadonlyArray<{ tableName: string; request: RecordedRequest }>
  /** The billed units of the requests recorded so far. */
  bill(): Promise<BilledUnits & { requests: number }>
  /** The same, request by request. */
  bills(): Promise<Array<{ tableName: string; request: RecordedRequest; units: BilledUnits }>>
  /**
   * What the engine itself reported for the same requests (`ReturnConsumedCapacity: INDEXES`), summed the same way:
   * the check of {@link bill} against DynamoDB Local. Requests that failed report nothing.
   */
  reported(): BilledUnits & { requests: number }
  reset(): void
}

type Input = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Records every data request `client` sends (also those of document clients made from it) with what billing needs:
 * the sizes of the items a read evaluated, and each written item as it was before and after the write. It sits on the
 * client's middleware stack after the document client's marshalling, so it sees typed attribute values, and reads the
 * before and after images through `probe`, a second client whose requests are not recorded. For the benchmarks only:
 * it costs two consistent reads per item written, and a Query or Scan with a filter or projection is sent again
 * without them (DynamoDB bills the items it evaluated, not the ones it returned).
 */
export function recordRequests(client: DynamoDBClient, probe: DynamoDBClient): RequestRecorder {
  const requests: Array<{ tableName: string; request: RecordedRequest }> = []
  const reported: BilledUnits[] = []
  const schemas = new Map<string, Promise<TableSchema>>()
  const schemaFor = (tableName: string) => {
    let schema = schemas.get(tableName)
    if (!schema) {
      schema = probe.send(new DescribeTableCommand({ TableName: tableName })).then(({ Table }) => schemaOf(Table as never))
      schemas.set(tableName, schema)
    }
    return schema
  }
  const image = async (tableName: string, item: RawItem): Promise<RawItem | undefined> => {
    const { keys } = await schemaFor(tableName)
    const Key = Object.fromEntries(keys.map((key) => [key, item[key]!]))
    return (await probe.send(new GetItemCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item
  }

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '')
      // A document client's command is marshalled right before serializing and unmarshalled right after
      // deserializing, either side of this middleware or not: items are taken in either form (asRaw).
      const input = args.input as Input
      const writes = writtenItems(operation, input)
      const data = writes !== undefined || READ_OPERATIONS.has(operation)
      if (data) args.input = { ...input, ReturnConsumedCapacity: 'INDEXES' }
      if (writes) {
        const before = await Promise.all(writes.map(({ tableName, item }) => image(tableName, item)))
        const settle = async () => {
          const after = await Promise.all(writes.map(({ tableName, item }) => image(tableName, item)))
          // One entry per table written, each billed by its own table's indexes.
          for (const tableName of new Set(writes.map((write) => write.tableName))) {
            const mine = writes.flatMap((write, i) => (write.tableName === tableName ? [{ ...(before[i] && { before: before[i] }), ...(after[i] && { after: after[i] }) }] : []))
            requests.push({ tableName, request: { kind: 'write', operation, transactional: operation === 'TransactWriteItems', writes: mine } })
          }
        }
        try {
          const result = await next(args)
          reported.push(consumed(result.output as Input, 'write'))
          await settle()
          return result
        } catch (error) {
          await settle() // a failed condition is billed too
          throw error
        }
      }
      const result = await next(args)
      const output = result.output as Input
      if (data) reported.push(consumed(output, 'read'))
      if (operation === 'GetItem') {
        requests.push({ tableName: input.TableName, request: { kind: 'read', operation, consistent: input.ConsistentRead === true, perItem: true, sizes: [output.Item ? itemSize(asRaw(output.Item)) : 0] } })
      } else if (operation === 'BatchGetItem') {
        for (const [tableName, items] of Object.entries((output.Responses ?? {}) as Record<string, RawItem[]>)) {
          const consistent = input.RequestItems?.[tableName]?.ConsistentRead === true
          requests.push({ tableName, request: { kind: 'read', operation, consistent, perItem: true, sizes: items.map((item) => itemSize(asRaw(item))) } })
        }
      } else if (operation === 'Query' || operation === 'Scan') {
        const items = input.FilterExpression || input.ProjectionExpression || input.Select ? await evaluated(probe, operation, input) : ((output.Items ?? []) as Input[]).map(asRaw)
        requests.push({ tableName: input.TableName, request: { kind: 'read', operation, consistent: input.ConsistentRead === true, perItem: false, sizes: items.map(itemSize) } })
      }
      return result
    },
    { step: 'serialize', name: 'benchRequestRecorder', priority: 'high' }
  )

  const bills = () => Promise.all(requests.map(async (one) => ({ ...one, units: billRequest(await schemaFor(one.tableName), one.request) })))
  return {
    requests,
    bills,
    async bill() {
      const billed = await bills()
      return { ...sumUnits(billed.map((one) => one.units)), requests: billed.length }
    },
    reported: () => ({ ...sumUnits(reported), requests: reported.length }),
    reset: () => {
      requests.length = 0
      reported.length = 0
    }
  }
}

const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems'])

/** The engine's `ConsumedCapacity` of one request (an entry, or one per table), as units of the same shape as a bill. */
function consumed(output: Input, kind: 'read' | 'write'): BilledUnits {
  const entries = (Array.isArray(output.ConsumedCapacity) ? output.ConsumedCapacity : output.ConsumedCapacity ? [output.ConsumedCapacity] : []) as Input[]
  const units: BilledUnits = { readUnits: 0, writeUnits: 0, tableWriteUnits: 0, indexWriteUnits: {} }
  for (const entry of entries) {
    if (kind === 'read') {
      units.readUnits += entry.CapacityUnits ?? 0
      continue
    }
    units.writeUnits += entry.CapacityUnits ?? 0
    units.tableWriteUnits += entry.Table?.CapacityUnits ?? 0
    for (const [name, index] of Object.entries((entry.GlobalSecondaryIndexes ?? {}) as Record<string, Input>)) {
      // An index the write did not touch may be listed at 0: a bill leaves it out.
      if (index.CapacityUnits) units.indexWriteUnits[name] = (units.indexWriteUnits[name] ?? 0) + index.CapacityUnits
    }
  }
  return units
}

/** The items a Query or Scan evaluated: the same request without filter, projection or Select. */
async function evaluated(probe: DynamoDBClient, operation: 'Query' | 'Scan', input: Input): Promise<RawItem[]> {
  const { FilterExpression: _f, ProjectionExpression: _p, Select: _s, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = input
  const used = (name: string) => new RegExp(`${name.replace(/[#:]/g, '\\$&')}(?![A-Za-z0-9_])`).test(String(rest.KeyConditionExpression ?? ''))
  const pick = (values: Record<string, unknown> | undefined) => {
    const kept = Object.entries(values ?? {}).filter(([name]) => used(name))
    return kept.length > 0 ? Object.fromEntries(kept) : undefined
  }
  const names = pick(ExpressionAttributeNames)
  const values = pick(ExpressionAttributeValues && asRaw(ExpressionAttributeValues))
  const request = {
    ...rest,
    // A document client's page key may come unmarshalled, like its items.
    ...(rest.ExclusiveStartKey && { ExclusiveStartKey: asRaw(rest.ExclusiveStartKey) }),
    ...(names && { ExpressionAttributeNames: names }),
    ...(values && { ExpressionAttributeValues: values })
  }
  const output = await probe.send(operation === 'Query' ? new QueryCommand(request as QueryCommandInput) : new ScanCommand(request as ScanCommandInput))
  return (output.Items ?? []) as RawItem[]
}

/** The items a write request names, with its table, or undefined when it is not a write. */
function writtenItems(operation: string, input: Input): Array<{ tableName: string; item: RawItem }> | undefined {
  switch (operation) {
    case 'PutItem':
      return [{ tableName: input.TableName, item: asRaw(input.Item) }]
    case 'DeleteItem':
    case 'UpdateItem':
      return [{ tableName: input.TableName, item: asRaw(input.Key) }]
    case 'BatchWriteItem':
      return Object.entries(input.RequestItems as Record<string, Input[]>).flatMap(([tableName, requests]) =>
        requests.map((request) => ({ tableName, item: asRaw(request.PutRequest?.Item ?? request.DeleteRequest?.Key) }))
      )
    case 'TransactWriteItems':
      return (input.TransactItems as Input[]).map((entry) => {
        const op = entry.Put ?? entry.Delete ?? entry.Update ?? entry.ConditionCheck
        return { tableName: op.TableName, item: asRaw(op.Item ?? op.Key) }
      })
    default:
      return undefined
  }
}

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'])
const isAttributeValue = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && TYPES.has(Object.keys(value)[0]!)

/** An item in the low-level form, whether it came marshalled (a plain client) or not (a document client). */
function asRaw(item: Input): RawItem {
  const values = Object.values(item)
  if (values.length > 0 && values.every(isAttributeValue)) return item as RawItem
  return marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true })
}
