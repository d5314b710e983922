import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import { Validator } from '../validation/validate.js'

/**
 * The seeds' table name, used wherever a name is not given.
 *
 * @example
 * ```ts
 * const messaging = createMessaging({ client }) // same as tableName: DEFAULT_TABLE_NAME, i.e. 'cruddur-messages'
 * ```
 */
export const DEFAULT_TABLE_NAME = 'cruddur-messages'
/**
 * The sparse GSI (`pk`, `last_sk`, projection ALL) that orders a user's conversation rows by their last message:
 * Pattern B reads it, newest first. Only conversation rows carry `last_sk`, so messages and membership items stay out
 * of it. Like every GSI it is read eventually consistently (see docs/data-model.md, "What a reader can see").
 *
 * @example
 * ```ts
 * import { QueryCommand } from '@aws-sdk/lib-dynamodb'
 * const { Items } = await documentClient.send(new QueryCommand({
 *   TableName: DEFAULT_TABLE_NAME,
 *   IndexName: INBOX_INDEX,
 *   KeyConditionExpression: 'pk = :pk',
 *   ExpressionAttributeValues: { ':pk': messageGroupPk(userUuid) },
 *   ScanIndexForward: false
 * }))
 * ```
 */
export const INBOX_INDEX = 'inbox-index'
/**
 * The sparse GSI (`unread_owner_uuid`, `sk`, keys only) that holds only the
 * conversation rows with something unread, keyed by their owner: {@link MessagingClient.countUnread} reads it, so a
 * badge costs what the unread conversations weigh, not what all of a user's conversations do.
 *
 * @example
 * ```ts
 * import { QueryCommand } from '@aws-sdk/lib-dynamodb'
 * const { Items } = await documentClient.send(new QueryCommand({
 *   TableName: DEFAULT_TABLE_NAME,
 *   IndexName: UNREAD_INDEX,
 *   KeyConditionExpression: 'unread_owner_uuid = :u',
 *   ExpressionAttributeValues: { ':u': userUuid }
 * }))
 * ```
 */
export const UNREAD_INDEX = 'unread-index'

/**
 * Options for {@link tableDefinition}.
 *
 * @example
 * ```ts
 * const input = tableDefinition({ tableName: 'chat-prod', readCapacityUnits: 20, writeCapacityUnits: 10 })
 * const onDemand = tableDefinition({ tableName: 'chat-test', billing: 'on-demand' })
 * ```
 */
export interface TableDefinitionOptions {
  /** Default `cruddur-messages`. */
  tableName?: string
  /** `provisioned` (default, 5 RCU / 5 WCU for the table and each index, as the seeds did) or `on-demand`. */
  billing?: 'provisioned' | 'on-demand'
  /** Provisioned read capacity of the table and of each index, a whole number of at least 1. Default 5. */
  readCapacityUnits?: number
  /** Provisioned write capacity of the table and of each index, a whole number of at least 1. Default 5. */
  writeCapacityUnits?: number
}

/**
 * The `CreateTableCommand` input for the messaging table: `pk`/`sk` strings, the sparse GSI `inbox-index` (`pk`,
 * `last_sk`, projection ALL) for Pattern B, the sparse GSI `unread-index` (`unread_owner_uuid`, `sk`, keys only) for
 * {@link MessagingClient.countUnread}, and a `NEW_IMAGE` stream for Pattern D. A table made by an
 * earlier version or by the bootcamp's code is brought to this layout by `dynamo-messaging adopt`. A bad option (a table name
 * DynamoDB refuses, `billing` other than the two, a capacity that is not a positive whole number or given with
 * `on-demand`) is a {@link ValidationError}.
 *
 * @example
 * ```ts
 * import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
 * await client.send(new CreateTableCommand(tableDefinition()))
 * await client.send(new CreateTableCommand(tableDefinition({ tableName: 'chat-test', billing: 'on-demand' })))
 * ```
 */
export function tableDefinition(options: TableDefinitionOptions = {}): CreateTableCommandInput {
  const check = new Validator()
  const fields = check.options('options', options)
  const tableName = check.tableName('tableName', fields.tableName)
  const onDemand = check.oneOf('billing', fields.billing, ['provisioned', 'on-demand']) === 'on-demand'
  const capacityUnits = (path: 'readCapacityUnits' | 'writeCapacityUnits'): number => {
    const units = check.integer(path, fields[path], { min: 1, max: Number.MAX_SAFE_INTEGER })
    // On demand has no provisioned capacity: a number given with it would be silently ignored.
    if (onDemand && units !== undefined) check.invalid(path, "is only for billing 'provisioned'")
    return units ?? 5
  }
  const throughput = { ReadCapacityUnits: capacityUnits('readCapacityUnits'), WriteCapacityUnits: capacityUnits('writeCapacityUnits') }
  check.done()
  return {
    TableName: tableName ?? DEFAULT_TABLE_NAME,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'last_sk', AttributeType: 'S' },
      { AttributeName: 'unread_owner_uuid', AttributeType: 'S' }
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' }
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: INBOX_INDEX,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'last_sk', KeyType: 'RANGE' }
        ],
        // Pattern B shows every attribute of a row; a row's update changes its key anyway (2 index writes).
        Projection: { ProjectionType: 'ALL' },
        ...(!onDemand && { ProvisionedThroughput: throughput })
      },
      {
        IndexName: UNREAD_INDEX,
        KeySchema: [
          { AttributeName: 'unread_owner_uuid', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' }
        ],
        // Keys only: an entry is written as a row's count leaves or reaches 0, never as it changes in between.
        Projection: { ProjectionType: 'KEYS_ONLY' },
        ...(!onDemand && { ProvisionedThroughput: throughput })
      }
    ],
    BillingMode: onDemand ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ...(!onDemand && { ProvisionedThroughput: throughput }),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' }
  }
}
