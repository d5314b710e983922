// The whole stream Lambda: Pattern D for every new message, with partial batch failures reported to Lambda.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createStreamHandler } from 'dynamo-messaging/stream'

export const handler = createStreamHandler({
  client: new DynamoDBClient({}),
  tableName: process.env.TABLE_NAME, // set by the stack; never hard-coded
  onError: (error, messageGroupUuid) => console.error('conversation update failed', messageGroupUuid, error)
})
