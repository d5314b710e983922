import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { monotonicFactory } from 'ulid'
import { createMessagingTable, type MessagingEntities } from './table/createMessagingTable.js'
import { createStoreContext } from './storeContext.js'
import { warnMalformedItem } from './patterns/warnMalformedItem.js'

/** The table and client, all that Pattern D and the stream path need (kept apart so a Lambda bundle stays small). */
export interface StoreContext {
  readonly tableName: string
  readonly documentClient: DynamoDBDocumentClient
}

/** What every pattern function needs: the store, toolbox entities, a clock and an id source (replaceable in tests). */
export interface MessagingContext extends StoreContext {
  readonly toolbox: MessagingEntities
  readonly now: () => Date
  readonly newUlid: (time: number) => string
  /** Told of each item a list leaves out because it does not fit its entity. */
  readonly onMalformedItem: (item: Record<string, unknown>, problem: string) => void
}

/**
 * Options shared by {@link createMessaging} and {@link createStreamHandler}: the client and the table.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
 *
 * const options: ClientOptions = { client: new DynamoDBClient({}), tableName: 'cruddur-messages' }
 * // or your own document client (its marshalling options are used as they are):
 * const withDocumentClient: ClientOptions = { client: DynamoDBDocumentClient.from(new DynamoDBClient({})) }
 * ```
 */
export interface ClientOptions {
  /** A `DynamoDBClient` (wrapped here) or your own `DynamoDBDocumentClient`. */
  client: DynamoDBClient | DynamoDBDocumentClient
  /** Default `cruddur-messages`. */
  tableName?: string
}

// Defined apart (storeContext.ts) so the stream path does not import the toolbox entities built below.
export { createStoreContext }

export function createContext(
  options: ClientOptions & {
    now?: () => Date
    newUlid?: (time: number) => string
    onMalformedItem?: MessagingContext['onMalformedItem']
  }
): MessagingContext {
  const store = createStoreContext(options)
  return {
    ...store,
    toolbox: createMessagingTable(store),
    now: options.now ?? (() => new Date()),
    // Monotonic within the process: messages sent in one millisecond keep their order.
    newUlid: options.newUlid ?? monotonicFactory(),
    onMalformedItem: options.onMalformedItem ?? warnMalformedItem
  }
}
