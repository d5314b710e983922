// A lagging inbox-index, for tests: DynamoDB Local's indexes never lag behind their table; real GSIs do (they are
// read eventually consistently only). Row writes made through an observed client are hidden from the index reads of
// a reading client for a while after they complete: those reads answer the row as it was before the write (without
// it, for a row the write created), optionally beside its new place (a GSI moving an entry may show both for a moment).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import { INBOX_INDEX, MESSAGE_GROUP_PREFIX } from '../../src/index.js'
import type { FaultDecision } from './faults.js'

type Item = Record<string, unknown>

export interface IndexLagOptions {
  /** How long each completed write stays hidden from the index, in milliseconds (drawn per write). */
  lagMs: () => number
  /** Also list a hidden row at its new place, beside the old one: a page must still show it once. */
  duplicates?: boolean
}

/**
 * @param engine a client of the engine without faults, for the real reads behind the lagging answers
 */
export function indexLag(engine: DynamoDBClient, options: IndexLagOptions) {
  const documents = DynamoDBDocumentClient.from(engine)
  const hidden = new Map<string, { before?: Item; until: number }>()
  const keyOf = (item: { pk?: unknown; sk?: unknown }) => `${String(item.pk)}|${String(item.sk)}`
  let writes = 0

  /** Hides a row from the index, as it is before the write, until the write completed and its lag passed. */
  async function hide(tableName: string, key: { pk: string; sk: string }, created: boolean): Promise<() => void> {
    const id = keyOf(key)
    const current = hidden.get(id)
    // A row already hidden keeps the older version: the index has not caught up with the earlier write either.
    const entry = current && current.until > Date.now() ? current : { ...(created ? {} : await readRow(tableName, key)), until: Infinity }
    entry.until = Infinity
    hidden.set(id, entry)
    return () => void (entry.until = Date.now() + options.lagMs())
  }
  async function readRow(tableName: string, key: { pk: string; sk: string }): Promise<{ before?: Item }> {
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))
    return Item ? { before: Item } : {}
  }
  const isRow = (key: unknown): key is { pk: string; sk: string } =>
    typeof (key as { pk?: unknown } | undefined)?.pk === 'string' && (key as { pk: string }).pk.startsWith(MESSAGE_GROUP_PREFIX)

  return {
    /** How many row writes were observed. */
    writes: () => writes,
    /** Watches `client`'s row writes (UpdateItem, the rows a TransactWriteItems puts) to hide them for a while. */
    observeWrites(client: DynamoDBClient): void {
      client.middlewareStack.add(
        <A extends { input: object }, R>(next: (args: A) => Promise<R>, context: { commandName?: string }) =>
          async (args: A): Promise<R> => {
            const input = args.input as Item
            const tableName = String(input.TableName ?? '')
            const keys: Array<{ key: { pk: string; sk: string }; created: boolean; table: string }> = []
            if (context.commandName === 'UpdateItemCommand' && isRow(input.Key)) keys.push({ key: input.Key, created: false, table: tableName })
            if (context.commandName === 'TransactWriteItemsCommand') {
              for (const action of (input.TransactItems ?? []) as Array<{ Put?: { Item: Item; TableName: string } }>) {
                if (action.Put && isRow(action.Put.Item)) keys.push({ key: { pk: action.Put.Item.pk as string, sk: String(action.Put.Item.sk) }, created: true, table: action.Put.TableName })
              }
            }
            const done = await Promise.all(keys.map(({ key, created, table }) => hide(table, key, created)))
            writes += keys.length
            try {
              return await next(args)
            } finally {
              for (const show of done) show()
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
        const entry = hidden.get(keyOf(item))
        if (!entry || entry.until <= now) return [item]
        const old = entry.before ? [entry.before] : []
        return options.duplicates ? [item, ...old] : old
      })
      // The index's order: newest last message first (ties by the row's key).
      const order = (item: Item) => `${String(item.last_sk)}|${String(item.sk)}`
      items.sort((a, b) => (order(a) < order(b) ? 1 : order(a) > order(b) ? -1 : 0))
      return { answer: { ...real, Items: items, Count: items.length } }
    }
  }
}
