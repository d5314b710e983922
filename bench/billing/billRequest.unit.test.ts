import { describe, expect, it } from 'vitest'
import { tableDefinition } from '../../src/index.js'
import { seedsTableDefinition } from '../seedsAlgorithm.js'
import { billRequest, sumUnits } from './billRequest.js'
import { schemaOf } from './tableSchema.js'

const schema = schemaOf(tableDefinition({ billing: 'on-demand' }))
const seeds = schemaOf(seedsTableDefinition('seeds'))
/** A member's row at its fixed key; `unread` > 0 puts it in unread-index. */
const row = (owner: string, lastSk: string, unread = 0) => ({
  pk: { S: `GRP#${owner}` },
  sk: { S: 'MSG#group' },
  last_sk: { S: lastSk },
  message: { S: 'hello' },
  user_uuid: { S: 'other' },
  unread_count: { N: String(unread) },
  rev: { N: '1' },
  ...(unread > 0 && { unread_owner_uuid: { S: owner } })
})
/** A bootcamp row: its sort key is its last message's. */
const seedsRow = (owner: string, sk: string) => ({ pk: { S: `GRP#${owner}` }, sk: { S: sk }, message_group_uuid: { S: 'group' }, message: { S: 'hello' }, user_uuid: { S: 'other' } })
const write = (writes: Array<{ before?: ReturnType<typeof row>; after?: ReturnType<typeof row> }>, on = schema) =>
  billRequest(on, { kind: 'write', operation: 'UpdateItem', transactional: false, writes })

describe('billRequest: reads', () => {
  it('rounds each GetItem up to 4 KB, halves eventually consistent reads, doubles transactional ones', () => {
    const get = (consistent: boolean, sizes: number[], transactional = false) =>
      billRequest(schema, { kind: 'read', operation: 'GetItem', consistent, perItem: true, sizes, transactional }).readUnits
    expect(get(true, [100])).toBe(1)
    expect(get(false, [100])).toBe(0.5)
    expect(get(true, [0])).toBe(1) // found nothing: still the minimum
    expect(get(true, [4_097])).toBe(2)
    expect(get(false, [100, 100])).toBe(1) // BatchGetItem: per item
    expect(get(true, [100], true)).toBe(2)
  })

  it("sums a Query's items before rounding", () => {
    const query = (sizes: number[]) => billRequest(schema, { kind: 'read', operation: 'Query', consistent: false, perItem: false, sizes }).readUnits
    expect(query(Array(20).fill(300))).toBe(1) // 6,000 bytes: 2 × 4 KB, halved
    expect(query([])).toBe(0.5)
    expect(query(Array(10).fill(300))).toBe(0.5)
  })
})

describe('billRequest: writes', () => {
  it("bills the seeds' lone-message fan-out at 8 WCU: two deletes and two puts, each with its index entry", () => {
    const bills = [{ before: seedsRow('a', 's1') }, { after: seedsRow('a', 's2') }, { before: seedsRow('b', 's1') }, { after: seedsRow('b', 's2') }].map((w) =>
      billRequest(seeds, { kind: 'write', operation: 'PutItem', transactional: false, writes: [w as never] })
    )
    expect(sumUnits(bills)).toEqual({ readUnits: 0, writeUnits: 8, tableWriteUnits: 4, indexWriteUnits: { 'message-group-sk-index': 4 } })
  })

  it('bills a row updated in place at 3 WCU, plus 1 when its unread-index entry comes or goes (keys only: not when the count changes)', () => {
    expect(write([{ before: row('a', 's1'), after: row('a', 's2') }])).toEqual({ readUnits: 0, writeUnits: 3, tableWriteUnits: 1, indexWriteUnits: { 'inbox-index': 2 } })
    expect(write([{ before: row('b', 's1'), after: row('b', 's2', 1) }]).indexWriteUnits).toEqual({ 'inbox-index': 2, 'unread-index': 1 })
    expect(write([{ before: row('b', 's1', 1), after: row('b', 's2', 2) }]).writeUnits).toBe(3)
    expect(write([{ before: row('b', 's1', 1), after: row('b', 's2') }]).writeUnits).toBe(4)
  })

  it('bills the same writes in a transaction at 2 WCU per item, index writes once', () => {
    const bill = billRequest(schema, {
      kind: 'write',
      operation: 'TransactWriteItems',
      transactional: true,
      writes: [{ before: row('a', 's1'), after: row('a', 's2') }, { before: row('b', 's1'), after: row('b', 's2', 1) }]
    })
    expect(bill).toEqual({ readUnits: 0, writeUnits: 9, tableWriteUnits: 4, indexWriteUnits: { 'inbox-index': 4, 'unread-index': 1 } })
  })

  it('bills the larger image per KB, and a write whose condition failed without index writes', () => {
    const big = { ...row('a', 's1'), message: { S: 'x'.repeat(1_500) } }
    expect(write([{ before: big, after: row('a', 's1') }]).tableWriteUnits).toBe(2)
    expect(write([{ before: row('a', 's1'), after: row('a', 's1') }])).toEqual({ readUnits: 0, writeUnits: 1, tableWriteUnits: 1, indexWriteUnits: {} })
  })
})
