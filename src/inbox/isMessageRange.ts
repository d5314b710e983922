import type { MessageRange } from './messageRange.js'

/** Whether `range` is a {@link MessageRange}: `{ after?, through, messages }` of messages `{ sk, user_uuid?, message? }`. */
export const isMessageRange = (range: unknown): range is MessageRange =>
  typeof range === 'object' &&
  range !== null &&
  typeof (range as MessageRange).through === 'string' &&
  ((range as MessageRange).after === undefined || typeof (range as MessageRange).after === 'string') &&
  Array.isArray((range as MessageRange).messages) &&
  (range as MessageRange).messages.every(
    (m) =>
      typeof m === 'object' &&
      m !== null &&
      typeof m.sk === 'string' &&
      (m.user_uuid === undefined || typeof m.user_uuid === 'string') &&
      (m.message === undefined || typeof m.message === 'string')
  )
