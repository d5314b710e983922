import { randomUUID } from 'node:crypto'
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/**
 * The bootcamp's algorithm, for comparison only: Pattern C is one unconditional put with a bare timestamp as sort key;
 * its stream function queries the GSI, then deletes and re-puts every participant's row, one record at a time.
 */
export async function seedsSendMessage(
  doc: DynamoDBDocumentClient,
  tableName: string,
  messageGroupUuid: string,
  sender: { uuid: string; displayName: string; handle: string },
  text: string,
  createdAt: string
): Promise<void> {
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

export async function seedsStreamFunction(
  doc: DynamoDBDocumentClient,
  tableName: string,
  messageGroupUuid: string,
  createdAt: string,
  text: string
): Promise<void> {
  for (const row of await queryGroupIndex(doc, tableName, messageGroupUuid)) {
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: row.pk, sk: row.sk } }))
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...row, sk: createdAt, message: text } }))
  }
}

/** One conversation's rows from the GSI, by hand: the read both hand-written baselines make. */
export async function queryGroupIndex(doc: DynamoDBDocumentClient, tableName: string, messageGroupUuid: string) {
  const { Items = [] } = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'message-group-sk-index',
      KeyConditionExpression: 'message_group_uuid = :g',
      ExpressionAttributeValues: { ':g': messageGroupUuid }
    })
  )
  return Items
}
