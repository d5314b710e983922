// A lagging inbox-index, for tests: DynamoDB Local's indexes never lag behind their table; real GSIs do (they are
// read eventually consistently only). Each row write made through an observed client reaches the index of a reading
// client only some time after it completed: until then, index reads answer the row as the newest write that has
// reached it left it (without the row, if none has), optionally beside its newest place (a GSI moving an entry may
// show both for a moment). Writes reach the index in the order they completed.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import { INBOX_INDEX, MESSAGE_GROUP_PREFIX } from '../../src/index.js'
import type { FaultDecision } from './faults.js'

type Item = Record<string, unknown>
type Key = { pk: string; sk: string }

export interface IndexLagOptions {
  /** How long each completed write takes to reach the index, in milliseconds (drawn per write). */
  lagMs: () => number
  /** Also list a row at its newest place beside the one the index shows: a page must still show it once. */
  duplicates?: boolean
}

/**
 * @param engine a client of the engine without faults, for the real reads behind the lagging answers
 */
export function indexLag(engine: DynamoDBClient, options: IndexLagOptions) {
  const documents = DynamoDBDocumentClient.from(engine)
  // Per row, its versions as writes left them, each with when it reaches the index; the first is the row as it was
  // before any observed write (visible from the start).
  const versions = new Map<string, Array<{ item?: Item; visibleAt: number }>>()
  const keyOf = (item: { pk?: unknown; sk?: unknown }) => `${String(item.pk)}|${String(item.sk)}`
  let writes = 0
  let hiddenServed = 0

  const readRow = async (tableName: string, key: Key): Promise<Item | undefined> =>
    (await documents.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item
  /** Before a write: the row as it is, if no write of it was seen yet. After it: the row it left, shown after a lag. */
  async function before(tableName: string, key: Key, created: boolean): Promise<void> {
    if (versions.has(keyOf(key))) return
    versions.set(keyOf(key), [{ ...(!created && { item: await readRow(tableName, key) }), visibleAt: 0 }])
  }
  async function after(tableName: string, key: Key): Promise<void> {
    const list = versions.get(keyOf(key))!
    const item = await readRow(tableName, key)
    list.push({ ...(item && { item }), visibleAt: Math.max(Date.now() + options.lagMs(), list.at(-1)!.visibleAt) })
  }
  const isRow = (key: unknown): key is Key =>
    typeof (key as { pk?: unknown } | undefined)?.pk === 'string' && (key as Key).pk.startsWith(MESSAGE_GROUP_PREFIX)

  return {
    /** How many row writes were observed. */
    writes: () => writes,
    /** How many rows index reads answered other than the table holds them (older, or left out). */
    hiddenServed: () => hiddenServed,
    /** Watches `client`'s row writes (UpdateItem, the rows a TransactWriteItems puts), to delay them in the index. */
    observeWrites(client: DynamoDBClient): void {
      client.middlewareStack.add(
        <A extends { input: object }, R>(next: (args: A) => Promise<R>, context: { commandName?: string }) =>
          async (args: A): Promise<R> => {
            const input = args.input as Item
            const rows: Array<{ key: Key; created: boolean; table: string }> = []
            if (context.commandName === 'UpdateItemCommand' && isRow(input.Key)) rows.push({ key: input.Key, created: false, table: String(input.TableName) })
            if (context.commandName === 'TransactWriteItemsCommand') {
              for (const action of (input.TransactItems ?? []) as Array<{ Put?: { Item: Item; TableName: string } }>) {
                if (action.Put && isRow(action.Put.Item)) rows.push({ key: { pk: String(action.Put.Item.pk), sk: String(action.Put.Item.sk) }, created: true, table: action.Put.TableName })
              }
            }
            await Promise.all(rows.map(({ key, created, table }) => before(table, key, created)))
            writes += rows.length
            try {
              return await next(args)
            } finally {
              // Whatever the outcome (a refused write leaves the row as it was): the row as it is now, after the lag.
              await Promise.all(rows.map(({ key, table }) => after(table, key)))
            }
          },
        { step: 'initialize', name: 'testIndexLagObserver' }
      )
    },
    /** For a reading client's fault rule: answers inbox-index Queries as the lagging index would, else undefined. */
    async answer(name: string, input: Item): Promise<FaultDecision> {
      if (name !== 'QueryCommand' || input.IndexName !== INBOX_INDEX) return undefined
      const real = await documents.send(new QueryCommand(input as unknown as QueryCommandInput))
      const now = Date.now()
      const items = (real.Items ?? []).flatMap((item) => {
        const list = versions.get(keyOf(item))
        if (!list) return [item]
        const shown = list.filter((version) => version.visibleAt <= now).at(-1)!.item
        if (shown && shown.last_sk === item.last_sk && shown.rev === item.rev) return [item]
        hiddenServed++
        const old = shown ? [shown] : []
        return options.duplicates ? [item, ...old] : old
      })
      // The index's order, as listMessageGroups reads it: newest last message first (ties by the row's key).
      const order = (item: Item) => `${String(item.last_sk)}|${String(item.sk)}`
      items.sort((a, b) => (order(a) < order(b) ? 1 : order(a) > order(b) ? -1 : 0))
      return { answer: { ...real, Items: items, Count: items.length } }
    }
  }
}
