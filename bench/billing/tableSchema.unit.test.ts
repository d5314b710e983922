import { describe, expect, it } from 'vitest'
import { tableDefinition } from '../../src/index.js'
import { seedsTableDefinition } from '../seedsAlgorithm.js'
import { indexEntry, indexWriteUnits, schemaOf } from './tableSchema.js'

const schema = schemaOf(tableDefinition({ billing: 'on-demand' }))
const [inbox, unread] = schema.indexes as [(typeof schema.indexes)[0], (typeof schema.indexes)[0]]
/** A member's row at its fixed key, showing the message `lastSk`. */
const row = (lastSk: string, extra: Record<string, { S?: string; N?: string }> = {}) => ({
  pk: { S: 'GRP#owner' },
  sk: { S: 'MSG#group' },
  last_sk: { S: lastSk },
  message: { S: 'hello' },
  user_uuid: { S: 'other' },
  unread_count: { N: '0' },
  rev: { N: '1' },
  ...extra
})
const counted = (lastSk: string, count: number) => row(lastSk, { unread_owner_uuid: { S: 'owner' }, unread_count: { N: String(count) } })

describe('schemaOf and indexEntry', () => {
  it("reads keys and projections from the table definition, and the seeds' own", () => {
    expect(schema.keys).toEqual(['pk', 'sk'])
    expect(inbox).toMatchObject({ name: 'inbox-index', keys: ['pk', 'last_sk'], projection: 'ALL' })
    expect(unread).toMatchObject({ name: 'unread-index', keys: ['unread_owner_uuid', 'sk'], projection: 'KEYS_ONLY' })
    expect(schemaOf(seedsTableDefinition('seeds')).indexes).toEqual([{ name: 'message-group-sk-index', keys: ['message_group_uuid', 'sk'], projection: 'ALL' }])
  })

  it('leaves an item without the index key out of a sparse index, and projects only the keys of a KEYS_ONLY index', () => {
    expect(indexEntry(schema, unread, row('a'))).toBeUndefined()
    expect(indexEntry(schema, inbox, { pk: { S: 'MSG#group' }, sk: { S: '#MEMBER#owner' } })).toBeUndefined()
    const entry = indexEntry(schema, unread, counted('a', 2))
    expect(Object.keys(entry!).sort()).toEqual(['pk', 'sk', 'unread_owner_uuid'])
  })
})

describe('indexWriteUnits', () => {
  it('bills 1 for an entry added or removed, 2 for a key change, 1 for a projected change, 0 for none', () => {
    expect(indexWriteUnits(schema, inbox, undefined, row('a'))).toBe(1)
    expect(indexWriteUnits(schema, inbox, row('a'), undefined)).toBe(1)
    expect(indexWriteUnits(schema, inbox, row('a'), row('b'))).toBe(2) // a row updated in place to a newer message
    expect(indexWriteUnits(schema, inbox, row('a'), { ...row('a'), message: { S: 'changed' } })).toBe(1)
    expect(indexWriteUnits(schema, inbox, row('a'), row('a'))).toBe(0)
    // unread-index (keys only): entering and leaving cost 1; a count that changes in between costs nothing.
    expect(indexWriteUnits(schema, unread, row('a'), counted('b', 1))).toBe(1)
    expect(indexWriteUnits(schema, unread, counted('a', 1), counted('b', 2))).toBe(0)
    expect(indexWriteUnits(schema, unread, counted('a', 1), row('b'))).toBe(1)
    expect(indexWriteUnits(schema, unread, counted('a', 1), { ...counted('a', 1), message: { S: 'changed' }, rev: { N: '2' } })).toBe(0)
  })

  it('rounds a large entry up per KB', () => {
    expect(indexWriteUnits(schema, inbox, undefined, row('a', { message: { S: 'x'.repeat(1_500) } }))).toBe(2)
  })
})
