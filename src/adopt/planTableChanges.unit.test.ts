import type { TableDescription } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { tableDefinition } from '../table/tableDefinition.js'
import { planTableChanges } from './planTableChanges.js'

// What DescribeTable says of a table the bootcamp's schema-load created: provisioned 5/5, the GSI, no stream.
const bootcamp = (): TableDescription => ({
  TableName: 'cruddur-messages',
  TableStatus: 'ACTIVE',
  AttributeDefinitions: [
    { AttributeName: 'message_group_uuid', AttributeType: 'S' },
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' }
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' }
  ],
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  GlobalSecondaryIndexes: [
    {
      IndexName: 'message-group-sk-index',
      KeySchema: [
        { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' }
      ],
      Projection: { ProjectionType: 'ALL' },
      IndexStatus: 'ACTIVE'
    }
  ]
})
const expected = tableDefinition()
const unreadIndex = expected.GlobalSecondaryIndexes!.find((index) => index.IndexName === 'unread-index')!
const unreadOwner = { AttributeName: 'unread_owner_uuid', AttributeType: 'S' as const }
// What DescribeTable says of a table tableDefinition() made: both indexes and the stream.
const library = (StreamViewType: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' = 'NEW_IMAGE'): TableDescription => ({
  ...bootcamp(),
  AttributeDefinitions: [...bootcamp().AttributeDefinitions!, unreadOwner],
  GlobalSecondaryIndexes: [...bootcamp().GlobalSecondaryIndexes!, { ...unreadIndex, IndexStatus: 'ACTIVE' }],
  StreamSpecification: { StreamEnabled: true, StreamViewType }
})

describe('planTableChanges', () => {
  it("turns the stream on for a table the bootcamp's schema-load made and adds unread-index, nothing else", () => {
    expect(planTableChanges(bootcamp(), expected)).toEqual({
      enableStream: true,
      createIndexes: [unreadIndex],
      // Every key attribute of a new index, as UpdateTable requires (sk too, although the table defines it).
      attributeDefinitions: [unreadOwner, { AttributeName: 'sk', AttributeType: 'S' }],
      wait: false,
      problems: []
    })
  })

  it('changes nothing on a table tableDefinition() made (a NEW_AND_OLD_IMAGES stream is fine too)', () => {
    for (const StreamViewType of ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES'] as const) {
      expect(planTableChanges(library(StreamViewType), expected)).toMatchObject({ enableStream: false, createIndexes: [], problems: [] })
    }
  })

  it('creates a missing index with its attribute definitions and the capacity of a provisioned table', () => {
    const table = { ...bootcamp(), AttributeDefinitions: bootcamp().AttributeDefinitions!.slice(1), GlobalSecondaryIndexes: [] }
    table.ProvisionedThroughput = { ReadCapacityUnits: 7, WriteCapacityUnits: 3 }
    const changes = planTableChanges(table, expected)
    expect(changes.problems).toEqual([])
    expect(changes.createIndexes).toEqual([
      {
        IndexName: 'message-group-sk-index',
        KeySchema: [
          { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' }
        ],
        Projection: { ProjectionType: 'ALL' },
        ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 }
      },
      { ...unreadIndex, ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 } }
    ])
    expect(changes.attributeDefinitions).toEqual([
      { AttributeName: 'message_group_uuid', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      unreadOwner
    ])
    // On demand: no provisioned capacity on the new index.
    const onDemand = planTableChanges({ ...table, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } }, expected)
    expect(onDemand.createIndexes[0]).not.toHaveProperty('ProvisionedThroughput')
  })

  it('states what is wrong with an index key, and changes nothing (not even the stream)', () => {
    const table = bootcamp()
    table.GlobalSecondaryIndexes![0]!.KeySchema = [
      { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
      { AttributeName: 'created_at', KeyType: 'RANGE' }
    ]
    const changes = planTableChanges(table, expected)
    expect(changes).toMatchObject({ enableStream: false, createIndexes: [] })
    expect(changes.problems).toEqual([
      expect.stringContaining(
        'index message-group-sk-index of cruddur-messages has the key message_group_uuid (HASH, S), created_at (RANGE, ?); ' +
          'the library needs message_group_uuid (HASH, S), sk (RANGE, S)'
      )
    ])
    expect(changes.problems[0]).toContain('"Delete":{"IndexName":"message-group-sk-index"}')
  })

  it('names a projection that would drop attributes, a wrong attribute type, a wrong table key, a stream without new images', () => {
    const projection = bootcamp()
    projection.GlobalSecondaryIndexes![0]!.Projection = { ProjectionType: 'KEYS_ONLY' }
    expect(planTableChanges(projection, expected).problems).toEqual([expect.stringContaining('projects KEYS_ONLY; the library needs ALL')])

    const numeric = bootcamp()
    numeric.AttributeDefinitions![0] = { AttributeName: 'message_group_uuid', AttributeType: 'N' }
    expect(planTableChanges(numeric, expected).problems).toContainEqual(
      'attribute message_group_uuid is defined as type N on cruddur-messages; index message-group-sk-index needs S'
    )

    const key = { ...bootcamp(), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }] }
    expect(planTableChanges(key, expected).problems).toEqual([
      expect.stringContaining('table cruddur-messages has the key pk (HASH, S); the library needs pk (HASH, S), sk (RANGE, S)')
    ])

    const keysOnly = { ...bootcamp(), StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' as const } }
    const changes = planTableChanges(keysOnly, expected)
    expect(changes.enableStream).toBe(false)
    expect(changes.problems).toEqual([expect.stringContaining('the stream of cruddur-messages is KEYS_ONLY')])
  })

  it('waits for a table or an index that is not ACTIVE yet (a rerun after an interrupted index creation)', () => {
    const creating = bootcamp()
    creating.GlobalSecondaryIndexes![0]!.IndexStatus = 'CREATING'
    expect(planTableChanges(creating, expected)).toMatchObject({ wait: true, createIndexes: [], problems: [] })
    expect(planTableChanges({ ...bootcamp(), TableStatus: 'UPDATING' }, expected).wait).toBe(true)
  })

  it('checks every index of the definition: a table made before unread-index existed (0.1.0) gets it, nothing else', () => {
    const before = { ...library(), AttributeDefinitions: bootcamp().AttributeDefinitions, GlobalSecondaryIndexes: bootcamp().GlobalSecondaryIndexes }
    const changes = planTableChanges(before, expected)
    expect(changes).toMatchObject({ enableStream: false, problems: [] })
    expect(changes.createIndexes.map((index) => index.IndexName)).toEqual(['unread-index'])
    expect(changes.attributeDefinitions).toEqual([unreadOwner, { AttributeName: 'sk', AttributeType: 'S' }])
  })

  it('names an unread-index that projects too little for countUnread', () => {
    const table = library()
    table.GlobalSecondaryIndexes![1]!.Projection = { ProjectionType: 'KEYS_ONLY' }
    expect(planTableChanges(table, expected).problems).toEqual([expect.stringContaining('unread-index')])
  })
})
