import { randomUUID } from 'node:crypto'
import { CreateTableCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { schemaLoadInput } from '../test/support/bootcampTable.js'

/**
 * The bootcamp's algorithm on the bootcamp's own table, for comparison only: Pattern C is one unconditional put with a
 * bare timestamp as sort key; each participant's row (`GRP#<owner>`, sorted by its last message) is found through
 * `message-group-sk-index`, and its stream function deletes and re-puts every one of them, one record at a time.
 */
type Person = { uuid: string; displayName: string; handle: string }

/** The seeds' table as `bin/ddb/schema-load` creates it: `pk`/`sk` and `message-group-sk-index` (projection ALL). */
export const seedsTableDefinition = (tableName: string): CreateTableCommandInput => schemaLoadInput(tableName)

export async function createSeedsTable(client: DynamoDBClient, label: string): Promise<string> {
  const tableName = `bench-seeds-${label}-${randomUUID().slice(0, 6)}`
  await client.send(new CreateTableCommand(seedsTableDefinition(tableName)))
  return tableName
}

/** A conversation as `create_message_group` leaves it: both rows at `createdAt`; returns its uuid (a uuid4). */
export async function seedsConversation(doc: DynamoDBDocumentClient, tableName: string, pair: readonly [Person, Person], text: string, createdAt: string): Promise<string> {
  const messageGroupUuid = randomUUID()
  for (const [owner, other] of [pair, [pair[1], pair[0]]] as const) {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `GRP#${owner.uuid}`, sk: createdAt, message_group_uuid: messageGroupUuid, message: text, user_uuid: other.uuid, user_display_name: other.displayName, user_handle: other.handle }
      })
    )
  }
  await seedsSendMessage(doc, tableName, messageGroupUuid, pair[0], text, createdAt)
  return messageGroupUuid
}

export async function seedsSendMessage(doc: DynamoDBDocumentClient, tableName: string, messageGroupUuid: string, sender: Person, text: string, createdAt: string): Promise<void> {
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        pk: `MSG#${messageGroupUuid}`,
        sk: createdAt,
        message_uuid: randomUUID(),
        message: text,
        user_uuid: sender.uuid,
        user_display_name: sender.displayName,
        user_handle: sender.handle
      }
    })
  )
}

export async function seedsStreamFunction(doc: DynamoDBDocumentClient, tableName: string, messageGroupUuid: string, createdAt: string, text: string): Promise<void> {
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'message-group-sk-index',
      KeyConditionExpression: 'message_group_uuid = :g',
      ExpressionAttributeValues: { ':g': messageGroupUuid }
    })
  )
  for (const row of Items) {
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: row.pk, sk: row.sk } }))
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...row, sk: createdAt, message: text } }))
  }
}
