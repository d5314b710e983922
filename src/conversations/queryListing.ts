import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format'
import type { Entity, FormattedItem } from 'dynamodb-toolbox/entity'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { MessagingContext } from '../context.js'
import { isRowKey } from '../cursor/cursor.js'
import { isMessageSortKey } from '../keys/keys.js'
import type { INBOX_INDEX } from '../table/tableDefinition.js'
import { formatListedItem } from './formatListedItem.js'

/** What one list query reads: a partition of the table or of an index, newest first, from an optional start key. */
export interface ListingQuery {
  /** The index (Pattern B's `inbox-index`), or the table itself when absent. */
  readonly index?: typeof INBOX_INDEX
  readonly partition: string
  readonly range?: { readonly gte: string }
  readonly limit: number
  readonly exclusiveStartKey?: Record<string, unknown>
  /** A strongly consistent read (tables only): for pages that fill a cache, which must not be older than a completed write. */
  readonly consistent?: boolean
}

/** The well-formed items of one page, formatted, and where DynamoDB stopped reading. */
export interface ListingPage<T> {
  readonly items: T[]
  readonly lastEvaluatedKey?: Record<string, unknown>
}

/**
 * One page of a list (Pattern A or B), each item formatted by the toolbox's own formatter for `entity`. An item that
 * does not fit it (written by other code, by hand, or by an old version), or whose sort key is not a message sort key,
 * is left out and reported to `ctx.onMalformedItem`; the page still ends where DynamoDB stopped, so paging moves past
 * it. One bad item never fails the page.
 */
export async function queryListing<E extends Entity>(
  ctx: MessagingContext,
  entity: E,
  query: ListingQuery
): Promise<ListingPage<FormattedItem<E>>> {
  const formatter = entity.build(EntityFormatter)
  const sortKey = query.index ? 'last_sk' : 'sk'
  const items: FormattedItem<E>[] = []
  const read = async (limit: number, exclusiveStartKey: Record<string, unknown> | undefined) => {
    // No `.entities()`: the raw items come back, so each is formatted, or left out, on its own.
    const { Items = [], LastEvaluatedKey } = await ctx.toolbox.table
      .build(QueryCommand)
      .query({ partition: query.partition, ...(query.index && { index: query.index }), ...(query.range && { range: query.range }) })
      .options({ reverse: true, limit, ...(query.consistent && { consistent: true }), ...(exclusiveStartKey && { exclusiveStartKey }) })
      .send()
    for (const raw of Items as Record<string, unknown>[]) {
      const formatted = formatListedItem(formatter, raw, sortKey)
      if ('item' in formatted) items.push(formatted.item)
      else ctx.onMalformedItem(raw, formatted.problem)
    }
    return LastEvaluatedKey
  }
  let lastEvaluatedKey = await read(query.limit, query.exclusiveStartKey)
  // A page must not end on a key the next page's cursor check refuses (an item of other code): read on, one item at a
  // time, to the next message sort key. The first read ended on an item left out, so the page stays within `limit`.
  const cursorTakes = (key: Record<string, unknown>) => isMessageSortKey(key[sortKey]) && (!query.index || isRowKey(key.sk))
  while (lastEvaluatedKey && !cursorTakes(lastEvaluatedKey)) lastEvaluatedKey = await read(1, lastEvaluatedKey)
  return { items, ...(lastEvaluatedKey && { lastEvaluatedKey }) }
}

