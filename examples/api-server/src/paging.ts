import type { FastifyReply } from 'fastify'

/** Response header carrying the cursor of the next, older page; absent on the last page. */
export const NEXT_CURSOR_HEADER = 'x-next-cursor'

/** Paging query parameters: `?cursor=<x-next-cursor of the previous page>&limit=<1..100>`. */
export interface PageQuery {
  cursor?: unknown
  limit?: unknown
}

/**
 * The library's `{ cursor, limit }` from the query string. Values are passed through for the library to validate,
 * so a bad one is a 422 with its code (`cursor_invalid`, `limit_invalid`) like any other input.
 */
export function pageInput(query: PageQuery): { cursor?: string; limit?: number } {
  const { cursor, limit } = query
  return {
    ...(cursor !== undefined && { cursor: cursor as string }),
    ...(limit !== undefined && { limit: (typeof limit === 'string' && /^\d{1,4}$/.test(limit) ? Number(limit) : limit) as number })
  }
}

/** Keeps the body a plain array (what the Cruddur front end expects) and puts the cursor in a header. */
export function sendPage<T>(reply: FastifyReply, items: T[], cursor: string | undefined): T[] {
  if (cursor !== undefined) void reply.header(NEXT_CURSOR_HEADER, cursor)
  return items
}
