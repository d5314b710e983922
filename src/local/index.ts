export { startDynamoDbLocal } from './startDynamoDbLocal.js'
export type { LocalDynamoDb, StartDynamoDbLocalOptions } from './startDynamoDbLocal.js'
