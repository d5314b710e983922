import { describe, expect, it } from 'vitest'
import { tableDefinition } from '../../src/index.js'
import { indexEntry, indexWriteUnits, schemaOf } from './tableSchema.js'

const schema = schemaOf(tableDefinition({ billing: 'on-demand' }))
const [groups, unread] = schema.indexes as [(typeof schema.indexes)[0], (typeof schema.indexes)[0]]
const row = (sk: string, extra: Record<string, { S?: string; N?: string }> = {}) => ({
  pk: { S: 'GRP#owner' },
  sk: { S: sk },
  message_group_uuid: { S: 'group' },
  message: { S: 'hello' },
  ...extra
})

describe('schemaOf and indexEntry', () => {
  it('reads keys and projections from the table definition', () => {
    expect(schema.keys).toEqual(['pk', 'sk'])
    expect(groups).toMatchObject({ name: 'message-group-sk-index', projection: 'ALL' })
    expect(unread).toMatchObject({ name: 'unread-index', projection: ['message_group_uuid', 'unread_count'] })
  })

  it('leaves an item without the index key out of a sparse index, and projects only what INCLUDE names', () => {
    expect(indexEntry(schema, unread, row('a'))).toBeUndefined()
    const entry = indexEntry(schema, unread, row('a', { unread_owner_uuid: { S: 'owner' }, unread_count: { N: '2' } }))
    expect(Object.keys(entry!).sort()).toEqual(['message_group_uuid', 'pk', 'sk', 'unread_count', 'unread_owner_uuid'])
  })
})

describe('indexWriteUnits', () => {
  it('bills 1 for an entry added or removed, 2 for a key change, 1 for a projected change, 0 for none', () => {
    expect(indexWriteUnits(schema, groups, undefined, row('a'))).toBe(1)
    expect(indexWriteUnits(schema, groups, row('a'), undefined)).toBe(1)
    expect(indexWriteUnits(schema, groups, row('a'), row('b'))).toBe(2)
    expect(indexWriteUnits(schema, groups, row('a'), { ...row('a'), message: { S: 'changed' } })).toBe(1)
    expect(indexWriteUnits(schema, groups, row('a'), row('a'))).toBe(0)
    // A change outside unread-index's projection does not touch it.
    const counted = row('a', { unread_owner_uuid: { S: 'owner' }, unread_count: { N: '2' } })
    expect(indexWriteUnits(schema, unread, counted, { ...counted, message: { S: 'changed' } })).toBe(0)
    expect(indexWriteUnits(schema, unread, counted, { ...counted, unread_count: { N: '3' } })).toBe(1)
  })

  it('rounds a large entry up per KB', () => {
    expect(indexWriteUnits(schema, groups, undefined, row('a', { message: { S: 'x'.repeat(2_000) } }))).toBe(2)
  })
})
