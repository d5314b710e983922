// The WebSocket API's $connect and $disconnect routes: they keep the connections table that the push side
// (examples/websocket-push/streamHandler.ts, in the stream Lambda) reads to reach a user's open connections.
// Table: user_uuid (HASH) + connection_id (RANGE), the GSI `connection-index` (connection_id, keys only) for
// $disconnect, which is told only the connection id, and TTL on `expires_at` for connections that never said goodbye.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'

export const CONNECTION_INDEX = 'connection-index'
/** API Gateway closes a WebSocket connection after 2 hours at most; the item outlives it a little. */
const CONNECTION_TTL_SECONDS = 3 * 3600

/** The part of API Gateway's WebSocket event these routes read. */
export interface WebSocketEvent {
  requestContext: { connectionId: string; routeKey: string }
  queryStringParameters?: Record<string, string | undefined>
}

export interface ConnectionHandlerOptions {
  documents: DynamoDBDocumentClient
  connectionsTable: string
  /**
   * The user uuid a token proves, or `undefined`. Browsers cannot set headers on a WebSocket, so the client sends its
   * token as `?token=` on the connection URL.
   */
  verifyToken: (token: string) => Promise<string | undefined>
  now?: () => Date
}

export function createConnectionHandlers({ documents, connectionsTable, verifyToken, now = () => new Date() }: ConnectionHandlerOptions) {
  return {
    /** Refuses the connection (401) without a valid token; otherwise stores who holds it. */
    async connect(event: WebSocketEvent): Promise<{ statusCode: number }> {
      const token = event.queryStringParameters?.token
      const userUuid = token ? await verifyToken(token) : undefined
      if (!userUuid) return { statusCode: 401 }
      const connectedAt = now()
      await documents.send(
        new PutCommand({
          TableName: connectionsTable,
          Item: {
            user_uuid: userUuid,
            connection_id: event.requestContext.connectionId,
            connected_at: connectedAt.toISOString(),
            expires_at: Math.floor(connectedAt.getTime() / 1000) + CONNECTION_TTL_SECONDS
          },
          // Connection ids are unique: an item already there would be another connection's, never overwritten.
          ConditionExpression: 'attribute_not_exists(connection_id)'
        })
      )
      return { statusCode: 200 }
    },

    /** Forgets the connection (idempotent: API Gateway may call it for a connection $connect refused). */
    async disconnect(event: WebSocketEvent): Promise<{ statusCode: number }> {
      const connectionId = event.requestContext.connectionId
      const { Items = [] } = await documents.send(
        new QueryCommand({
          TableName: connectionsTable,
          IndexName: CONNECTION_INDEX,
          KeyConditionExpression: 'connection_id = :id',
          ExpressionAttributeValues: { ':id': connectionId }
        })
      )
      for (const item of Items) {
        await documents.send(new DeleteCommand({ TableName: connectionsTable, Key: { user_uuid: item.user_uuid, connection_id: connectionId } }))
      }
      return { statusCode: 200 }
    }
  }
}
