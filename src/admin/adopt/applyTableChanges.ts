import { DescribeTableCommand, UpdateTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb'
import type { StoreContext } from '../../createStoreContext.js'
import type { TableChanges } from './planTableChanges.js'

/** How {@link applyTableChanges} waits. */
export interface ApplyOptions {
  /** Pause between DescribeTable polls while waiting for `ACTIVE`. */
  pollIntervalMs: number
  /** Longest wait for the table and its indexes to be `ACTIVE`. */
  waitTimeoutMs: number
  onWait?: (waitedMs: number) => void
}

/**
 * Makes the changes {@link planTableChanges} decided: turns the stream on (`NEW_IMAGE`), then creates each missing
 * index (one `UpdateTable` per index, as DynamoDB requires), waiting for the table and every index to be `ACTIVE`
 * after each. A change another run already made is taken as done, so an interrupted adopt can run again.
 */
export async function applyTableChanges(store: StoreContext, changes: TableChanges, options: ApplyOptions): Promise<void> {
  const { tableName, documentClient } = store
  const update = async (input: Omit<ConstructorParameters<typeof UpdateTableCommand>[0], 'TableName'>, alreadyDone: RegExp) => {
    try {
      await documentClient.send(new UpdateTableCommand({ TableName: tableName, ...input }))
    } catch (error) {
      if ((error as { name?: unknown }).name !== 'ValidationException' || !alreadyDone.test(String((error as Error).message))) throw error
    }
    await waitUntilActive(store, options)
  }
  if (changes.enableStream) {
    await update({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }, /already has an enabled stream/i)
  }
  for (const index of changes.createIndexes) {
    await update(
      { AttributeDefinitions: changes.attributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: index }] },
      /already exists/i
    )
  }
}

/** Polls DescribeTable until the table and all its indexes are ACTIVE. */
export async function waitUntilActive(store: StoreContext, options: ApplyOptions): Promise<TableDescription> {
  const started = Date.now()
  for (;;) {
    const Table = await describeTable(store)
    // A DELETING index counts as not ACTIVE: it is waited out until it is gone.
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE')
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return Table
    const waited = Date.now() - started
    if (waited > options.waitTimeoutMs) {
      throw new Error(
        `table ${store.tableName} is still not ACTIVE after ${Math.round(waited / 1000)} s (an index may be backfilling); run adopt again later`
      )
    }
    options.onWait?.(waited)
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs))
  }
}

/**
 * DescribeTable, or `undefined` when DynamoDB answered with a server error (a 5xx, which it may give while an index is
 * being built): one poll lost, not the whole wait.
 */
async function describeTable(store: StoreContext): Promise<TableDescription | undefined> {
  try {
    return (await store.documentClient.send(new DescribeTableCommand({ TableName: store.tableName }))).Table
  } catch (error) {
    if ((error as { $fault?: unknown }).$fault === 'server') return undefined
    throw error
  }
}
