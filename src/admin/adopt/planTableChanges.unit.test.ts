import type { GlobalSecondaryIndexDescription, TableDescription } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { tableDefinition } from '../../table/tableDefinition.js'
import { planTableChanges } from './planTableChanges.js'

const S = 'S' as const
const oldIndex: GlobalSecondaryIndexDescription = {
  IndexName: 'message-group-sk-index',
  KeySchema: [
    { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' }
  ],
  Projection: { ProjectionType: 'ALL' },
  IndexStatus: 'ACTIVE'
}
// What DescribeTable says of a table the bootcamp's schema-load created: provisioned 5/5, its GSI, no stream.
const bootcamp = (): TableDescription => ({
  TableName: 'cruddur-messages',
  TableStatus: 'ACTIVE',
  AttributeDefinitions: [
    { AttributeName: 'message_group_uuid', AttributeType: S },
    { AttributeName: 'pk', AttributeType: S },
    { AttributeName: 'sk', AttributeType: S }
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' }
  ],
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  GlobalSecondaryIndexes: [structuredClone(oldIndex)]
})
// What DescribeTable says of a table this library's 0.2 made: the old GSI, unread-index projecting two attributes, a stream.
const library02 = (): TableDescription => ({
  ...bootcamp(),
  AttributeDefinitions: [...bootcamp().AttributeDefinitions!, { AttributeName: 'unread_owner_uuid', AttributeType: S }],
  GlobalSecondaryIndexes: [
    structuredClone(oldIndex),
    {
      IndexName: 'unread-index',
      KeySchema: [
        { AttributeName: 'unread_owner_uuid', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' }
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['message_group_uuid', 'unread_count'] },
      IndexStatus: 'ACTIVE'
    }
  ],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' }
})
const expected = tableDefinition()
const index = (name: string) => expected.GlobalSecondaryIndexes!.find((candidate) => candidate.IndexName === name)!
// What DescribeTable says of a table tableDefinition() made.
const current = (StreamViewType: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' = 'NEW_IMAGE'): TableDescription => ({
  ...bootcamp(),
  AttributeDefinitions: expected.AttributeDefinitions,
  GlobalSecondaryIndexes: expected.GlobalSecondaryIndexes!.map((gsi) => ({ ...structuredClone(gsi), IndexStatus: 'ACTIVE' as const })),
  StreamSpecification: { StreamEnabled: true, StreamViewType }
})

describe('planTableChanges', () => {
  it("turns the stream on for a table the bootcamp's schema-load made, adds both indexes, and names the old one unused", () => {
    expect(planTableChanges(bootcamp(), expected)).toEqual({
      enableStream: true,
      createIndexes: [index('inbox-index'), index('unread-index')],
      // Every key attribute of a new index, as UpdateTable requires (pk and sk too, although the table defines them).
      attributeDefinitions: [
        { AttributeName: 'pk', AttributeType: S },
        { AttributeName: 'last_sk', AttributeType: S },
        { AttributeName: 'unread_owner_uuid', AttributeType: S },
        { AttributeName: 'sk', AttributeType: S }
      ],
      wait: false,
      problems: [],
      unusedIndexes: ['message-group-sk-index'],
      notes: []
    })
  })

  it("takes 0.2's table as it is but for inbox-index: its unread-index, projecting more than needed, is kept with a note", () => {
    const changes = planTableChanges(library02(), expected)
    expect(changes).toMatchObject({ enableStream: false, problems: [], unusedIndexes: ['message-group-sk-index'], wait: false })
    expect(changes.createIndexes.map((gsi) => gsi.IndexName)).toEqual(['inbox-index'])
    expect(changes.attributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: S },
      { AttributeName: 'last_sk', AttributeType: S }
    ])
    expect(changes.notes).toEqual([
      expect.stringMatching(
        /^index unread-index of cruddur-messages projects INCLUDE \(message_group_uuid, unread_count\); KEYS_ONLY is enough\. It works as it is/
      )
    ])
    expect(changes.notes[0]).toContain('"Delete":{"IndexName":"unread-index"}')
  })

  it('changes nothing on a table tableDefinition() made (a NEW_AND_OLD_IMAGES stream is fine too)', () => {
    for (const StreamViewType of ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES'] as const) {
      expect(planTableChanges(current(StreamViewType), expected)).toEqual({
        enableStream: false,
        createIndexes: [],
        attributeDefinitions: [],
        wait: false,
        problems: [],
        unusedIndexes: [],
        notes: []
      })
    }
  })

  it('creates a missing index with the capacity of a provisioned table, and none on demand', () => {
    const table = { ...current(), GlobalSecondaryIndexes: current().GlobalSecondaryIndexes!.slice(1) }
    table.ProvisionedThroughput = { ReadCapacityUnits: 7, WriteCapacityUnits: 3 }
    const changes = planTableChanges(table, expected)
    expect(changes.problems).toEqual([])
    expect(changes.createIndexes).toEqual([{ ...index('inbox-index'), ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 } }])
    const onDemand = planTableChanges({ ...table, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } }, expected)
    expect(onDemand.createIndexes[0]).not.toHaveProperty('ProvisionedThroughput')
  })

  it('states what is wrong with an index key, and changes nothing (not even the stream)', () => {
    const table = { ...bootcamp(), GlobalSecondaryIndexes: [...bootcamp().GlobalSecondaryIndexes!, { ...current().GlobalSecondaryIndexes![0]! }] }
    table.GlobalSecondaryIndexes[1]!.KeySchema = [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'created_at', KeyType: 'RANGE' }
    ]
    const changes = planTableChanges(table, expected)
    expect(changes).toMatchObject({ enableStream: false, createIndexes: [], unusedIndexes: ['message-group-sk-index'] })
    expect(changes.problems).toEqual([
      expect.stringContaining(
        'index inbox-index of cruddur-messages has the key pk (HASH, S), created_at (RANGE, ?); the library needs pk (HASH, S), last_sk (RANGE, S)'
      )
    ])
    expect(changes.problems[0]).toContain('"Delete":{"IndexName":"inbox-index"}')
  })

  it('names a projection that drops what a reader needs, a wrong attribute type, a wrong table key, a stream without new images', () => {
    const projection = current()
    projection.GlobalSecondaryIndexes![0]!.Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: ['message'] }
    expect(planTableChanges(projection, expected).problems).toEqual([
      expect.stringContaining('index inbox-index of cruddur-messages projects INCLUDE (message); the library needs ALL')
    ])

    const numeric = { ...bootcamp(), AttributeDefinitions: [...bootcamp().AttributeDefinitions!, { AttributeName: 'last_sk', AttributeType: 'N' as const }] }
    expect(planTableChanges(numeric, expected).problems).toContainEqual('attribute last_sk is defined as type N on cruddur-messages; index inbox-index needs S')

    const key = { ...bootcamp(), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }] }
    expect(planTableChanges(key, expected).problems).toEqual([
      expect.stringContaining('table cruddur-messages has the key pk (HASH, S); the library needs pk (HASH, S), sk (RANGE, S)')
    ])

    const keysOnly = { ...bootcamp(), StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' as const } }
    const changes = planTableChanges(keysOnly, expected)
    expect(changes.enableStream).toBe(false)
    expect(changes.problems).toEqual([expect.stringContaining('the stream of cruddur-messages is KEYS_ONLY')])
  })

  it('takes any projection that holds what is needed: ALL or INCLUDE for a keys-only index, a wider INCLUDE for an INCLUDE', () => {
    const including = (NonKeyAttributes: string[]) => ({ ProjectionType: 'INCLUDE' as const, NonKeyAttributes })
    const withUnread = (projection: GlobalSecondaryIndexDescription['Projection']) => {
      const table = current()
      table.GlobalSecondaryIndexes![1]!.Projection = projection
      return planTableChanges(table, expected)
    }
    for (const projection of [{ ProjectionType: 'ALL' as const }, including(['unread_count'])]) {
      expect(withUnread(projection)).toMatchObject({ problems: [], notes: [expect.stringContaining('KEYS_ONLY is enough')] })
    }
    const wants = { ...expected, GlobalSecondaryIndexes: [index('inbox-index'), { ...index('unread-index'), Projection: including(['unread_count']) }] }
    const table = current()
    table.GlobalSecondaryIndexes![1]!.Projection = including(['message_group_uuid'])
    expect(planTableChanges(table, wants).problems).toEqual([expect.stringContaining('projects INCLUDE (message_group_uuid); the library needs INCLUDE (unread_count)')])
    table.GlobalSecondaryIndexes![1]!.Projection = including(['message_group_uuid', 'unread_count'])
    expect(planTableChanges(table, wants)).toMatchObject({ problems: [], notes: [expect.stringContaining('INCLUDE (unread_count) is enough')] })
  })

  it('waits for a table or an index that is not ACTIVE yet (a rerun after an interrupted index creation)', () => {
    const creating = bootcamp()
    creating.GlobalSecondaryIndexes![0]!.IndexStatus = 'CREATING'
    expect(planTableChanges(creating, expected)).toMatchObject({ wait: true, createIndexes: [], problems: [] })
    expect(planTableChanges({ ...bootcamp(), TableStatus: 'UPDATING' }, expected).wait).toBe(true)
  })

  it('refuses anything but two objects, and reads fields of the wrong shape as absent', () => {
    expect(() => planTableChanges(undefined as never, expected)).toThrow(/table/)
    expect(planTableChanges({ ...bootcamp(), GlobalSecondaryIndexes: 'none' as never }, expected).createIndexes).toHaveLength(2)
  })
})
