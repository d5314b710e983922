import { itemSize, type RawItem } from './itemSize.js'
import { indexWriteUnits, type TableSchema } from './tableSchema.js'

/** One request as the recorder saw it: what DynamoDB bills it by. */
export type RecordedRequest =
  | {
      kind: 'read'
      operation: string
      /** Strongly consistent (1 unit per 4 KB) or eventually consistent (half). */
      consistent: boolean
      /** TransactGetItems: twice. */
      transactional?: boolean
      /**
       * GetItem and BatchGetItem round each item up to 4 KB; Query and Scan add up the sizes of the items they
       * evaluated (filters and projections do not lower it) and round the sum.
       */
      perItem: boolean
      sizes: number[]
    }
  | {
      kind: 'write'
      operation: string
      /** TransactWriteItems: every item at twice the units. */
      transactional: boolean
      /** Each item written, as it was before and after the request (undefined: absent). */
      writes: Array<{ before?: RawItem; after?: RawItem }>
    }

/** What one request costs on AWS. */
export interface BilledUnits {
  readUnits: number
  /** Table and index writes together. */
  writeUnits: number
  tableWriteUnits: number
  /** Per index name. */
  indexWriteUnits: Record<string, number>
}

const roundUp = (size: number, unit: number): number => Math.max(1, Math.ceil(size / unit))

/**
 * DynamoDB's billing rules applied to one recorded request (on-demand and provisioned count units alike):
 * - reads: 1 unit per 4 KB strongly consistent, 0.5 eventually consistent, 2 in a transaction; a Query sums its
 *   items before rounding, a GetItem rounds each; a read that finds nothing still costs the minimum;
 * - writes: 1 unit per 1 KB of the larger of the item's before and after images, 2 in a transaction (a write whose
 *   condition failed is billed too: it writes nothing, so no index changes);
 * - each global secondary index: 1 unit per 1 KB of entry put or deleted; a change of the entry's key is both; a
 *   change of its projected attributes alone is one put. Index writes are billed once, also inside a transaction.
 */
export function billRequest(schema: TableSchema, request: RecordedRequest): BilledUnits {
  const indexWrites: Record<string, number> = {}
  if (request.kind === 'read') {
    const per = (request.consistent ? 1 : 0.5) * (request.transactional ? 2 : 1)
    const units = request.perItem
      ? request.sizes.reduce((sum, size) => sum + roundUp(size, 4096), 0)
      : roundUp(request.sizes.reduce((sum, size) => sum + size, 0), 4096)
    return { readUnits: units * per, writeUnits: 0, tableWriteUnits: 0, indexWriteUnits: indexWrites }
  }
  let table = 0
  for (const { before, after } of request.writes) {
    table += roundUp(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0), 1024) * (request.transactional ? 2 : 1)
    for (const index of schema.indexes) {
      const units = indexWriteUnits(schema, index, before, after)
      if (units > 0) indexWrites[index.name] = (indexWrites[index.name] ?? 0) + units
    }
  }
  const index = Object.values(indexWrites).reduce((sum, units) => sum + units, 0)
  return { readUnits: 0, writeUnits: table + index, tableWriteUnits: table, indexWriteUnits: indexWrites }
}

/** The sum of many requests' units. */
export function sumUnits(bills: readonly BilledUnits[]): BilledUnits {
  const total: BilledUnits = { readUnits: 0, writeUnits: 0, tableWriteUnits: 0, indexWriteUnits: {} }
  for (const bill of bills) {
    total.readUnits += bill.readUnits
    total.writeUnits += bill.writeUnits
    total.tableWriteUnits += bill.tableWriteUnits
    for (const [name, units] of Object.entries(bill.indexWriteUnits)) total.indexWriteUnits[name] = (total.indexWriteUnits[name] ?? 0) + units
  }
  return total
}
