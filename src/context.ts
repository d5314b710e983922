import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { monotonicFactory } from 'ulid'
import { createMessagingTable, type MessagingEntities } from './table/createMessagingTable.js'
import { DEFAULT_TABLE_NAME } from './table/tableDefinition.js'

/** What every pattern function needs: one table, one client, a clock and an id source (replaceable in tests). */
export interface MessagingContext {
  readonly tableName: string
  readonly documentClient: DynamoDBDocumentClient
  readonly toolbox: MessagingEntities
  readonly now: () => Date
  readonly newUlid: (time: number) => string
}

/** Options shared by {@link createMessaging} and the stream handler. */
export interface ClientOptions {
  /** A `DynamoDBClient` (wrapped here) or your own `DynamoDBDocumentClient`. */
  client: DynamoDBClient | DynamoDBDocumentClient
  /** Default `cruddur-messages`. */
  tableName?: string
}

export function createContext(options: ClientOptions & { now?: () => Date }): MessagingContext {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME
  const documentClient = toDocumentClient(options.client)
  return {
    tableName,
    documentClient,
    toolbox: createMessagingTable({ tableName, documentClient }),
    now: options.now ?? (() => new Date()),
    // Monotonic within the process: messages sent in one millisecond keep their order.
    newUlid: monotonicFactory()
  }
}

function toDocumentClient(client: DynamoDBClient | DynamoDBDocumentClient): DynamoDBDocumentClient {
  // A document client carries translateConfig; checking it (not instanceof) survives duplicated SDK copies.
  const config = (client as { config?: { translateConfig?: unknown } }).config
  if (config && 'translateConfig' in config) return client as DynamoDBDocumentClient
  return DynamoDBDocumentClient.from(client as DynamoDBClient, { marshallOptions: { removeUndefinedValues: true } })
}
