import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { monotonicFactory } from 'ulid'
import { createStoreContext, type CacheContextOptions, type StoreContext } from './createStoreContext.js'
import { createMessagingTable, type MessagingEntities } from './table/createMessagingTable.js'
import { warnMalformedItem } from './conversations/warnMalformedItem.js'

export type { StoreContext }

/** What every pattern function needs: the store, toolbox entities, a clock and an id source (replaceable in tests). */
export interface MessagingContext extends StoreContext {
  readonly toolbox: MessagingEntities
  readonly now: () => Date
  readonly newUlid: (time: number) => string
  /** Told of each item a list leaves out because it does not fit its entity. */
  readonly onMalformedItem: (item: Record<string, unknown>, problem: string) => void
  /** Whether a send also brings the sender's own row to the message. */
  readonly updateSenderRow: boolean
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

export function createContext(
  options: ClientOptions &
    CacheContextOptions & {
    now?: () => Date
    newUlid?: (time: number) => string
    onMalformedItem?: MessagingContext['onMalformedItem']
    updateSenderRow?: boolean
  }
): MessagingContext {
  const store = createStoreContext(options)
  return {
    ...store,
    toolbox: createMessagingTable(store),
    now: options.now ?? (() => new Date()),
    // Monotonic within the process: messages sent in one millisecond keep their order.
    newUlid: options.newUlid ?? monotonicFactory(),
    onMalformedItem: options.onMalformedItem ?? warnMalformedItem,
    updateSenderRow: options.updateSenderRow ?? true
  }
}
