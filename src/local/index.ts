export { startDynamoDbLocal } from './startDynamoDbLocal.js'
export type { LocalDynamoDb, StartDynamoDbLocalOptions } from './startDynamoDbLocal.js'
export { startLocalStreamWorker } from './startLocalStreamWorker.js'
export type { LocalStreamWorker, LocalStreamWorkerOptions } from './startLocalStreamWorker.js'
