import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'

/**
 * A `DynamoDBClient` for DynamoDB Local at `endpoint`: region `local` unless given, and placeholder credentials,
 * which DynamoDB Local accepts (with `-sharedDb`, as {@link startDynamoDbLocal} runs it, any key sees the same data).
 *
 * @example
 * ```ts
 * const local = await startDynamoDbLocal()
 * const client = localDynamoDbClient(local.endpoint)
 * const messaging = createMessaging({ client })
 * ```
 */
export function localDynamoDbClient(
  endpoint: string,
  config: Omit<DynamoDBClientConfig, 'endpoint' | 'credentials'> = {}
): DynamoDBClient {
  return new DynamoDBClient({
    region: 'local',
    ...config,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' }
  })
}
