import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { Validator } from '../validation/validate.js'

/**
 * A `DynamoDBClient` for DynamoDB Local at `endpoint`: region `local` unless given, and placeholder credentials,
 * which DynamoDB Local accepts (with `-sharedDb`, as {@link startDynamoDbLocal} runs it, any key sees the same data).
 * An `endpoint` that is not an http(s) URL is a `ValidationError` (`endpoint_invalid`) from `dynamo-messaging`.
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
  const check = new Validator()
  check.endpoint('endpoint', endpoint)
  check.options('config', config)
  check.done()
  return new DynamoDBClient({
    region: 'local',
    ...config,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' }
  })
}
