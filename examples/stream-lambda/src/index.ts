// The whole stream Lambda: Pattern D for every new message, with partial batch failures reported to Lambda.
// With REDIS_URL (ElastiCache Serverless: `rediss://<endpoint>:6379`, cluster mode), it also refreshes the API's Redis
// cache and publishes live events to the API servers; that code and ioredis load only then (redis.ts, a chunk of its
// own in the bundle), so a function without Redis stays as small and quick to start as before.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createStreamHandler } from 'dynamo-messaging/stream'

const redis = process.env.REDIS_URL ? (await import('./redis.js')).connectRedis(process.env.REDIS_URL) : undefined

export const handler = createStreamHandler({
  client: new DynamoDBClient({}),
  tableName: process.env.TABLE_NAME, // set by the stack; never hard-coded
  onError: (error, messageGroupUuid) => console.error('conversation update failed', messageGroupUuid, error),
  ...(redis && { cache: redis.cache, onCacheError: redis.onCacheError, onApplied: redis.publish })
})
