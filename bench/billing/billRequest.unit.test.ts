import { describe, expect, it } from 'vitest'
import { tableDefinition } from '../../src/index.js'
import { billRequest, sumUnits } from './billRequest.js'
import { schemaOf } from './tableSchema.js'

const schema = schemaOf(tableDefinition({ billing: 'on-demand' }))
const row = (owner: string, sk: string, unread?: number) => ({
  pk: { S: `GRP#${owner}` },
  sk: { S: sk },
  message_group_uuid: { S: 'group' },
  message: { S: 'hello' },
  user_uuid: { S: 'other' },
  ...(unread !== undefined && { unread_count: { N: String(unread) }, unread_owner_uuid: { S: owner } })
})

describe('billRequest: reads', () => {
  it('rounds each GetItem up to 4 KB, halves eventually consistent reads, doubles transactional ones', () => {
    const get = (consistent: boolean, sizes: number[], transactional = false) =>
      billRequest(schema, { kind: 'read', operation: 'GetItem', consistent, perItem: true, sizes, transactional }).readUnits
    expect(get(true, [100])).toBe(1)
    expect(get(false, [100])).toBe(0.5)
    expect(get(true, [0])).toBe(1) // found nothing: still the minimum
    expect(get(true, [4_097])).toBe(2)
    expect(get(true, [100, 100])).toBe(2) // BatchGetItem: per item
    expect(get(true, [100], true)).toBe(2)
  })

  it('sums a Query\'s items before rounding', () => {
    const query = (sizes: number[]) => billRequest(schema, { kind: 'read', operation: 'Query', consistent: false, perItem: false, sizes }).readUnits
    expect(query(Array(20).fill(300))).toBe(1) // 6,000 bytes: 2 × 4 KB, halved
    expect(query([])).toBe(0.5)
    expect(query(Array(10).fill(300))).toBe(0.5)
  })
})

describe('billRequest: writes', () => {
  it('bills the seeds\' lone-message fan-out at 8 WCU: two deletes and two puts, each with its index entry', () => {
    const bills = [
      { before: row('a', 's1') },
      { after: row('a', 's2') },
      { before: row('b', 's1') },
      { after: row('b', 's2') }
    ].map((write) => billRequest(schema, { kind: 'write', operation: 'PutItem', transactional: false, writes: [write] }))
    expect(sumUnits(bills)).toEqual({ readUnits: 0, writeUnits: 8, tableWriteUnits: 4, indexWriteUnits: { 'message-group-sk-index': 4 } })
  })

  it('bills the same move in one transaction, with the recipient\'s unread-index entry moving, at 14 WCU', () => {
    const bill = billRequest(schema, {
      kind: 'write',
      operation: 'TransactWriteItems',
      transactional: true,
      writes: [{ before: row('a', 's1') }, { before: row('b', 's1', 1) }, { after: row('a', 's2') }, { after: row('b', 's2', 2) }]
    })
    expect(bill).toEqual({ readUnits: 0, writeUnits: 14, tableWriteUnits: 8, indexWriteUnits: { 'message-group-sk-index': 4, 'unread-index': 2 } })
  })

  it('bills the larger image per KB, and a write whose condition failed without index writes', () => {
    const big = { ...row('a', 's1'), message: { S: 'x'.repeat(1_500) } }
    expect(billRequest(schema, { kind: 'write', operation: 'UpdateItem', transactional: false, writes: [{ before: big, after: row('a', 's1') }] }).tableWriteUnits).toBe(2)
    expect(billRequest(schema, { kind: 'write', operation: 'PutItem', transactional: false, writes: [{ before: row('a', 's1'), after: row('a', 's1') }] })).toEqual({
      readUnits: 0,
      writeUnits: 1,
      tableWriteUnits: 1,
      indexWriteUnits: {}
    })
  })
})
