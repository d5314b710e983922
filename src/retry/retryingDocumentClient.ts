import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { retryThrottled, type ThrottleRetryOptions } from './retryThrottled.js'

/**
 * `documentClient` with every request retried while DynamoDB throttles it ({@link retryThrottled}), for long jobs on
 * small provisioned tables. Each request is retried on its own, so a job whose steps take several requests still
 * advances when a steady share of them is throttled. The original client (and its middleware, the capacity meter's
 * included) does the sending; it is not changed.
 */
export function retryingDocumentClient(documentClient: DynamoDBDocumentClient, options: ThrottleRetryOptions): DynamoDBDocumentClient {
  const send = (command: unknown, ...rest: unknown[]) =>
    retryThrottled(() => (documentClient.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest), options)
  // Everything else (config, middleware, destroy) is the original's, through the prototype.
  return Object.create(documentClient, { send: { value: send } }) as DynamoDBDocumentClient
}
