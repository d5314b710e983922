// The stream Lambda of examples/stream-lambda, pushing each new message to the participants' open WebSocket
// connections (an API Gateway WebSocket API) once their conversation rows are written. docs/stream.md quotes this
// file; `npm run typecheck:examples` checks it against the built package.
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { createStreamHandler, type AppliedConversation } from 'dynamo-messaging/stream'

const dynamodb = new DynamoDBClient({})
const documents = DynamoDBDocumentClient.from(dynamodb)
// The API's connection URL: https://{api-id}.execute-api.{region}.amazonaws.com/{stage}
const sockets = new ApiGatewayManagementApiClient({ endpoint: process.env.WEBSOCKET_ENDPOINT })
// Your $connect route stores { user_uuid, connection_id } once it has authenticated the user; $disconnect deletes it.
const CONNECTIONS_TABLE = process.env.CONNECTIONS_TABLE

async function connectionsOf(userUuid: string): Promise<string[]> {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: CONNECTIONS_TABLE,
      KeyConditionExpression: 'user_uuid = :user',
      ExpressionAttributeValues: { ':user': userUuid },
      ProjectionExpression: 'connection_id'
    })
  )
  return Items.map((item) => String(item.connection_id))
}

/** Called after the rows are written, at least once per conversation per batch: clients drop repeats by `sort_key`. */
async function push({ messageGroupUuid, message, participants }: AppliedConversation): Promise<void> {
  await Promise.all(
    participants.map(async ({ userUuid, unreadCount }) => {
      const data = JSON.stringify({
        type: 'message',
        message_group_uuid: messageGroupUuid,
        sort_key: message.sortKey,
        message: message.message,
        handle: message.handle,
        unread_count: unreadCount // this participant's badge for the conversation
      })
      for (const connectionId of await connectionsOf(userUuid)) {
        try {
          await sockets.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }))
        } catch (error) {
          // 410: the client left without $disconnect; forget it. Anything else (throttling) fails the conversation's
          // records, so Lambda delivers them again and this push is repeated.
          if (!(error instanceof GoneException)) throw error
          await documents.send(new DeleteCommand({ TableName: CONNECTIONS_TABLE, Key: { user_uuid: userUuid, connection_id: connectionId } }))
        }
      }
    })
  )
}

export const handler = createStreamHandler({ client: dynamodb, tableName: process.env.TABLE_NAME, onApplied: push })
