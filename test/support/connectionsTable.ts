import { randomUUID } from 'node:crypto'
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'

/**
 * A fresh WebSocket connections table as examples/apigw-lambda's stack makes it: `user_uuid` + `connection_id`, and
 * the GSI `connection-index` (connection_id, keys only) its $disconnect reads. The caller drops it.
 */
export async function createConnectionsTable(client: DynamoDBClient): Promise<string> {
  const tableName = `connections-${randomUUID().slice(0, 8)}`
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'user_uuid', AttributeType: 'S' },
        { AttributeName: 'connection_id', AttributeType: 'S' }
      ],
      KeySchema: [
        { AttributeName: 'user_uuid', KeyType: 'HASH' },
        { AttributeName: 'connection_id', KeyType: 'RANGE' }
      ],
      GlobalSecondaryIndexes: [
        { IndexName: 'connection-index', KeySchema: [{ AttributeName: 'connection_id', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }
      ]
    })
  )
  return tableName
}
