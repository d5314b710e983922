import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
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
  STALE_INDEX: [503, 'stale_index'],
  // Only the admin functions (adopt) throw it; never a request.
  TABLE_LAYOUT: [500, 'internal_error'],
  MISSING_INDEX: [500, 'index_missing'], // the table lacks an index (an operator's fix: docs/data-model.md)
  MESSAGE_ID_CONFLICT: [409, 'message_id_conflict'] // the client reused a message id for another message
}

/** Codes for the framework's own client errors (bad JSON, wrong content type, body too large). */
const FRAMEWORK_CODES: Record<number, string> = { 400: 'bad_request', 413: 'payload_too_large', 415: 'unsupported_media_type' }

/** Maps thrown errors to statuses: library errors by code, framework 4xx as they are, anything else a logged 500. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof ValidationError) {
      return sendErrors(reply, 422, error.issues.map((issue) => issue.code)) // every issue, not just the first
    }
    if (error instanceof MessagingError && error.code !== 'VALIDATION') {
      const [status, code] = ANSWER_TO[error.code]
      return sendErrors(reply, status, [code])
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
