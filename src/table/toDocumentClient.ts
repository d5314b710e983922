import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/** The client as a document client: a `DynamoDBClient` is wrapped, a document client is used as it is. */
export function toDocumentClient(client: DynamoDBClient | DynamoDBDocumentClient): DynamoDBDocumentClient {
  // A document client carries translateConfig; checking it (not instanceof) survives duplicated SDK copies.
  const config = (client as { config?: { translateConfig?: unknown } }).config
  if (config && 'translateConfig' in config) return client as DynamoDBDocumentClient
  return DynamoDBDocumentClient.from(client as DynamoDBClient, { marshallOptions: { removeUndefinedValues: true } })
}
