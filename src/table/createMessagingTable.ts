import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { Table } from 'dynamodb-toolbox/table'
import { Entity } from 'dynamodb-toolbox/entity'
import { item } from 'dynamodb-toolbox/schema/item'
import { string } from 'dynamodb-toolbox/schema/string'
import { number } from 'dynamodb-toolbox/schema/number'
import { prefix } from 'dynamodb-toolbox/transformers/prefix'
import { CONVERSATION_SK, MEMBER_SK_PREFIX } from '../keys/keys.js'
import { DEFAULT_TABLE_NAME, INBOX_INDEX, UNREAD_INDEX } from './tableDefinition.js'
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

/**
 * dynamodb-toolbox definitions of one messaging table and its entities. Each call makes new objects, so two tables
 * (other names or other clients) in one process never share state.
 *
 * Attribute names are the bootcamp's where it had them (messages are stored exactly as its code stored them). Entity
 * and timestamp attributes are off: items are told apart by their keys.
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
      [INBOX_INDEX]: {
        type: 'global',
        partitionKey: { name: 'pk', type: 'string' },
        sortKey: { name: 'last_sk', type: 'string' }
      },
      [UNREAD_INDEX]: {
        type: 'global',
        partitionKey: { name: 'unread_owner_uuid', type: 'string' },
        sortKey: { name: 'sk', type: 'string' }
      }
    }
  })

  /** One message: `pk = MSG#<group>`, `sk = <time>#<ULID>`. */
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

  /**
   * One member's row of a conversation, in their list: `pk = GRP#<owner>`, `sk = MSG#<group>`, at that key for as long
   * as they are a member. Pattern D updates it in place; the `inbox-index` orders a user's rows by `last_sk`.
   */
  const MessageGroupEntity = new Entity({
    name: 'MessageGroup',
    table,
    entityAttribute: false,
    timestamps: false,
    schema: item({
      owner_user_uuid: string().key().transform(prefix('GRP')).savedAs('pk'),
      message_group_uuid: string().key().transform(prefix('MSG')).savedAs('sk'),
      /** `group` for a group's row; absent for a direct conversation's. */
      kind: string().enum('group').optional(),
      /** Sort key of the last message (of the group's creation, before its first message): the `inbox-index`'s sort key. */
      last_sk: string(),
      /** Text of the last message; absent before a group's first message. */
      message: string().optional(),
      /** A direct conversation's OTHER participant. */
      user_uuid: string().optional(),
      user_display_name: string().optional(),
      user_handle: string().optional(),
      /** A group's last sender. */
      sender_uuid: string().optional(),
      sender_display_name: string().optional(),
      sender_handle: string().optional(),
      /** The owner's read marker: the sort key of the newest message they have read. Absent: never read. */
      last_read_sk: string().optional(),
      /** Messages from others after the marker, up to `last_sk`, capped at 100. */
      unread_count: number(),
      /** The owner's uuid while `unread_count > 0`: the sparse `unread-index`'s key. */
      unread_owner_uuid: string().optional(),
      /** Revision, one more at every write: writers condition on the one they read. */
      rev: number()
    })
  })

  /** One member of a conversation: `pk = MSG#<group>`, `sk = #MEMBER#<user>`. A membership check is one GetItem. */
  const MemberEntity = new Entity({
    name: 'Member',
    table,
    entityAttribute: false,
    timestamps: false,
    schema: item({
      message_group_uuid: string().key().transform(prefix('MSG')).savedAs('pk'),
      user_uuid: string().key().transform(prefix(MEMBER_SK_PREFIX.slice(0, -1))).savedAs('sk'),
      user_display_name: string(),
      user_handle: string(),
      /** `owner`, `admin` or `member` in a group; `member` in a direct conversation. */
      role: string().enum('owner', 'admin', 'member'),
      /** When the member joined, ISO-8601 UTC. */
      joined_at: string()
    })
  })

  /** A conversation's own item: `pk = MSG#<group>`, `sk = #CONVERSATION`. It exists from the conversation's start. */
  const ConversationEntity = new Entity({
    name: 'Conversation',
    table,
    entityAttribute: false,
    timestamps: false,
    schema: item({
      message_group_uuid: string().key().transform(prefix('MSG')).savedAs('pk'),
      sk: string().key().const(CONVERSATION_SK),
      kind: string().enum('direct', 'group'),
      /** When the conversation was started, ISO-8601 UTC. */
      created_at: string(),
      /** A group's creation as a sort key (`<time>#<ULID>`): where its rows sit before its first message. */
      created_sk: string().optional(),
      /** Who created a group. */
      created_by: string().optional(),
      /** A group's title, 1 to 100 characters. */
      title: string().optional(),
      /** A group's number of members, kept by every change of its members. */
      member_count: number().optional()
    })
  })

  return { table, MessageEntity, MessageGroupEntity, MemberEntity, ConversationEntity }
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
 * dynamodb-toolbox entity of a member's conversation row (on the default table).
 *
 * @example
 * ```ts
 * import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
 * const { Items } = await MessagingTable.build(QueryCommand)
 *   .entities(MessageGroupEntity)
 *   .query({ index: INBOX_INDEX, partition: messageGroupPk(userUuid) })
 *   .options({ reverse: true, tableName: 'cruddur-messages' })
 *   .send({ documentClient })
 * ```
 */
export const MessageGroupEntity = defaults.MessageGroupEntity
/**
 * dynamodb-toolbox entity of a membership item (on the default table).
 *
 * @example
 * ```ts
 * import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
 * const { Item } = await MemberEntity.build(GetItemCommand)
 *   .key({ message_group_uuid: messageGroupUuid, user_uuid: alice.uuid })
 *   .options({ consistent: true, tableName: 'cruddur-messages' })
 *   .send({ documentClient })
 * ```
 */
export const MemberEntity = defaults.MemberEntity
/**
 * dynamodb-toolbox entity of a conversation's own item (on the default table).
 *
 * @example
 * ```ts
 * import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
 * const { Item } = await ConversationEntity.build(GetItemCommand)
 *   .key({ message_group_uuid: messageGroupUuid })
 *   .options({ tableName: 'cruddur-messages' })
 *   .send({ documentClient })
 * ```
 */
export const ConversationEntity = defaults.ConversationEntity
