import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { Table } from 'dynamodb-toolbox/table'
import { Entity } from 'dynamodb-toolbox/entity'
import { item } from 'dynamodb-toolbox/schema/item'
import { string } from 'dynamodb-toolbox/schema/string'
import { number } from 'dynamodb-toolbox/schema/number'
import { list } from 'dynamodb-toolbox/schema/list'
import { map } from 'dynamodb-toolbox/schema/map'
import { prefix } from 'dynamodb-toolbox/transformers/prefix'
import { DEFAULT_TABLE_NAME, MESSAGE_GROUP_INDEX, UNREAD_INDEX } from './tableDefinition.js'
import { Validator } from '../validation/validate.js'

/**
 * Options for {@link createMessagingTable}.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
 *
 * const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}))
 * const { table, MessageEntity } = createMessagingTable({ tableName: 'chat', documentClient })
 * ```
 */
export interface MessagingTableOptions {
  /** Default `cruddur-messages`. */
  tableName?: string
  /** The client commands are sent with; optional for definitions you only format or type with. */
  documentClient?: DynamoDBDocumentClient
}

const participant = map({
  user_uuid: string(),
  user_display_name: string(),
  user_handle: string()
})

/**
 * dynamodb-toolbox definitions of one messaging table and its entities. Each call makes new objects, so two tables
 * (other names or other clients) in one process never share state.
 *
 * Attribute names are the stored ones of the bootcamp's layout, so tables it filled read unchanged. Entity and
 * timestamp attributes are off: seed rows have none, and a GSI filter on `_et` would break on them.
 *
 * @example
 * ```ts
 * import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
 * const { MessageEntity } = createMessagingTable({ tableName: 'chat', documentClient })
 * const { Item } = await MessageEntity.build(GetItemCommand)
 *   .key({ message_group_uuid: groupUuid, sk: message.sortKey })
 *   .send()
 * ```
 */
export function createMessagingTable(options: MessagingTableOptions = {}) {
  const check = new Validator()
  const fields = check.options('options', options)
  const tableName = check.tableName('tableName', fields.tableName)
  const documentClient = fields.documentClient === undefined ? undefined : check.client('documentClient', fields.documentClient)
  check.done()
  const table = new Table({
    name: tableName ?? DEFAULT_TABLE_NAME,
    ...(documentClient && { documentClient: documentClient as DynamoDBDocumentClient }),
    partitionKey: { name: 'pk', type: 'string' },
    sortKey: { name: 'sk', type: 'string' },
    indexes: {
      [MESSAGE_GROUP_INDEX]: {
        type: 'global',
        partitionKey: { name: 'message_group_uuid', type: 'string' },
        sortKey: { name: 'sk', type: 'string' }
      },
      [UNREAD_INDEX]: {
        type: 'global',
        partitionKey: { name: 'unread_owner_uuid', type: 'string' },
        sortKey: { name: 'sk', type: 'string' }
      }
    }
  })

  /** One message: `pk = MSG#<group>`, `sk = <time>#<ULID>`. No stored `message_group_uuid`, so the GSI stays sparse. */
  const MessageEntity = new Entity({
    name: 'Message',
    table,
    entityAttribute: false,
    timestamps: false,
    schema: item({
      message_group_uuid: string().key().transform(prefix('MSG')).savedAs('pk'),
      sk: string().key(),
      message_uuid: string(),
      message: string(),
      /** The sender. */
      user_uuid: string(),
      user_display_name: string(),
      user_handle: string()
    })
  })

  /** One participant's view of a conversation: `pk = GRP#<owner>`, `sk` = the last message's sort key. */
  const MessageGroupEntity = new Entity({
    name: 'MessageGroup',
    table,
    entityAttribute: false,
    timestamps: false,
    schema: item({
      owner_user_uuid: string().key().transform(prefix('GRP')).savedAs('pk'),
      sk: string().key(),
      message_group_uuid: string(),
      /** Text of the last message. */
      message: string(),
      /** The OTHER participant. */
      user_uuid: string(),
      user_display_name: string(),
      user_handle: string(),
      /** The owner's read marker: the sort key of the newest message they have read. Absent: never read. */
      last_read_sk: string().optional(),
      /** Messages from the other participant after the marker. Absent on rows written before 0.2.0 (read as 0). */
      unread_count: number().optional(),
      /** The owner's uuid while `unread_count > 0`: the sparse `unread-index`'s key. */
      unread_owner_uuid: string().optional()
    })
  })

  /**
   * Who takes part in a conversation: `pk = MSG#<group>`, `sk = #MEMBERS`. Written once, with the conversation, so a
   * membership check is one strongly consistent GetItem whatever the number of conversations.
   */
  const MessageGroupMembersEntity = new Entity({
    name: 'MessageGroupMembers',
    table,
    entityAttribute: false,
    timestamps: false,
    schema: item({
      message_group_uuid: string().key().transform(prefix('MSG')).savedAs('pk'),
      sk: string().key(),
      members: list(participant),
      created_at: string()
    })
  })

  return { table, MessageEntity, MessageGroupEntity, MessageGroupMembersEntity }
}

/** The table and entities returned by {@link createMessagingTable}. */
export type MessagingEntities = ReturnType<typeof createMessagingTable>

const defaults = createMessagingTable()

/**
 * The default `cruddur-messages` table definition, without a client. Pass `documentClient` and `tableName` per command,
 * or build your own with {@link createMessagingTable}.
 *
 * @example
 * ```ts
 * import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
 * const { Items } = await MessagingTable.build(QueryCommand)
 *   .entities(MessageEntity)
 *   .query({ partition: messagePk(messageGroupUuid), range: { gte: '0' } })
 *   .options({ reverse: true, limit: 20, tableName: 'cruddur-messages' })
 *   .send({ documentClient })
 * ```
 */
export const MessagingTable = defaults.table
/**
 * dynamodb-toolbox entity of a message row (on the default table). Use it with toolbox commands for your own access
 * patterns.
 *
 * @example
 * ```ts
 * import type { FormattedItem } from 'dynamodb-toolbox/entity'
 * type StoredMessage = FormattedItem<typeof MessageEntity>
 * ```
 */
export const MessageEntity = defaults.MessageEntity
/**
 * dynamodb-toolbox entity of a participant's conversation row (on the default table).
 *
 * @example
 * ```ts
 * import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
 * const { Items } = await MessagingTable.build(QueryCommand)
 *   .entities(MessageGroupEntity)
 *   .query({ partition: messageGroupPk(userUuid) })
 *   .options({ reverse: true, tableName: 'cruddur-messages' })
 *   .send({ documentClient })
 * ```
 */
export const MessageGroupEntity = defaults.MessageGroupEntity
