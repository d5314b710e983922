import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isThrottlingError, isTransientError } from '@smithy/core/retry'
import { MessagingError, ValidationError } from 'dynamo-messaging'

/** Every error response is `{ errors: [code, ...] }`, the shape Cruddur's front end reads on a 422. */
export const sendErrors = (reply: FastifyReply, status: number, codes: readonly string[]) =>
  reply.code(status).send({ errors: codes })

/**
 * Status and body code of each library error code, matched on the stable `code`, never on message text. A stranger to
 * a conversation gets the same 404 whether it exists or not: ids follow from the pair and user uuids are public, so a
 * 403 for "exists" would tell anyone who talks to whom.
 */
const ANSWER_TO: Record<Exclude<MessagingError['code'], 'VALIDATION'>, [status: number, code: string]> = {
  NOT_A_MEMBER: [404, 'message_group_not_found'],
  FORBIDDEN: [403, 'forbidden'], // a member whose role does not allow it (groups: docs/api-server.md)
  CONCURRENT_UPDATE: [503, 'try_again'], // rows kept changing under the update: retry shortly
  // Only the admin functions (adopt) throw it; never a request.
  TABLE_LAYOUT: [500, 'internal_error'],
  MISSING_INDEX: [500, 'index_missing'], // the table lacks an index (an operator's fix: docs/data-model.md)
  MESSAGE_ID_CONFLICT: [409, 'message_id_conflict'] // the client reused a message id for another message
}

/**
 * Seconds a client should wait before retrying after a 503: throttling clears within a second or so (clients add
 * jitter); an unreachable or failing DynamoDB, or rows that keep changing, usually takes longer.
 */
export const RETRY_AFTER_SECONDS = { throttled: 1, unavailable: 3 } as const

/**
 * Why DynamoDB could not serve the request, after the SDK's own retries: throttling (by name, by the SDK's retry hint,
 * or a transaction cancelled for throttling) or a transient failure (5xx, a timeout, a refused or reset connection,
 * DNS). The classification is the SDK's own (`@smithy/core/retry`), the one its retry strategy uses.
 */
export function unavailability(error: unknown): keyof typeof RETRY_AFTER_SECONDS | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const sdkError = error as Parameters<typeof isTransientError>[0]
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons
  if (isThrottlingError(sdkError) || reasons?.some((reason) => reason.Code === 'ThrottlingError')) return 'throttled'
  return isTransientError(sdkError) ? 'unavailable' : undefined
}

/** Codes for the framework's own client errors (bad JSON, wrong content type, body too large). */
const FRAMEWORK_CODES: Record<number, string> = { 400: 'bad_request', 413: 'payload_too_large', 415: 'unsupported_media_type' }

/**
 * Maps thrown errors to statuses, in one place: library errors by code, DynamoDB throttling or outages (after the
 * SDK's retries) as a 503 with `Retry-After`, framework 4xx as they are, anything else a logged 500.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof ValidationError) {
      return sendErrors(reply, 422, error.issues.map((issue) => issue.code)) // every issue, not just the first
    }
    if (error instanceof MessagingError && error.code !== 'VALIDATION') {
      const [status, code] = ANSWER_TO[error.code]
      if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS.unavailable))
      return sendErrors(reply, status, [code])
    }
    const outage = unavailability(error)
    if (outage) {
      // Not the client's fault and not a bug: DynamoDB is throttling or out of reach. Logged, answered retryable.
      request.log.warn({ err: error, outage }, 'DynamoDB unavailable after retries')
      return sendErrors(reply.header('retry-after', String(RETRY_AFTER_SECONDS[outage])), 503, ['service_unavailable'])
    }
    const status = 'statusCode' in error ? error.statusCode : undefined
    if (status !== undefined && status >= 400 && status < 500) {
      return sendErrors(reply, status, [FRAMEWORK_CODES[status] ?? 'request_invalid'])
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendErrors(reply, 500, ['internal_error'])
  })
  app.setNotFoundHandler((_request, reply) => sendErrors(reply, 404, ['not_found']))
}

/**
 * Fastify's `frameworkErrors`: a URL the router cannot decode (`/api/messages/%zz`) or a path parameter longer than
 * it takes (an over-long handle) answers the documented body. Fastify's default would echo the URL back.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return void sendErrors(reply, 414, ['url_too_long'])
  if (error.code === 'FST_ERR_BAD_URL') return void sendErrors(reply, 400, ['bad_request'])
  void sendErrors(reply, 500, ['internal_error'])
}

/** What a connection that broke HTTP before any route ran is answered, by Node's error code. */
const CLIENT_ERRORS: Record<string, [status: number, code: string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout'], // headers or body not received within their timeout
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large']
}

/**
 * Fastify's `clientErrorHandler` (Node's `clientError`: malformed HTTP, headers too large, a request not received in
 * time): the documented body, then the connection is closed. Logged at `debug` by its code only: the error's
 * `rawPacket` holds what the client sent, a stream token included.
 */
export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, code] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'bad_request']
  this.log.debug({ code: error.code, status }, 'client error')
  // A response already under way (a 401 sent before the body came in): a second one would corrupt it. Node's own
  // handler makes the same check, on the same internal field.
  const answered = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent
  if (!socket.writable || answered) return void socket.destroy()
  const body = JSON.stringify({ errors: [code] })
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`
  socket.end(head + body, () => socket.destroy())
}
