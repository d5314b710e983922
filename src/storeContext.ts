import type { ClientOptions, StoreContext } from './context.js'
import { DEFAULT_TABLE_NAME } from './table/tableDefinition.js'
import { toDocumentClient } from './table/toDocumentClient.js'

/**
 * The table and client Pattern D needs. Apart from context.ts, which builds the dynamodb-toolbox entities: the stream
 * path imports only this, so a Lambda bundle of `dynamo-messaging/stream` carries no toolbox code.
 */
export function createStoreContext(options: ClientOptions): StoreContext {
  return { tableName: options.tableName ?? DEFAULT_TABLE_NAME, documentClient: toDocumentClient(options.client) }
}
