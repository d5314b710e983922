import { expect, it } from 'vitest'
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { tableDefinition } from '../../src/index.js'
import { testTable } from '../support/engine.js'

const { client, tableName } = await testTable('definition')

it('creates the seeds\' layout: pk/sk, the sparse GSI with projection ALL, the sparse unread index, and a NEW_IMAGE stream', async () => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
  expect(Table?.KeySchema).toEqual([
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' }
  ])
  expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema, index.Projection?.ProjectionType])).toEqual([
    ['message-group-sk-index', [{ AttributeName: 'message_group_uuid', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], 'ALL'],
    ['unread-index', [{ AttributeName: 'unread_owner_uuid', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], 'INCLUDE']
  ])
  expect(Table?.GlobalSecondaryIndexes?.[1]?.Projection?.NonKeyAttributes).toEqual(['message_group_uuid', 'unread_count'])
  expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' })
  expect(Table?.LatestStreamArn).toBeTruthy()
})

it('defaults to the seeds\' name and 5/5 provisioned throughput, on-demand as an option', () => {
  const provisioned = tableDefinition()
  expect(provisioned.TableName).toBe('cruddur-messages')
  expect(provisioned.BillingMode).toBe('PROVISIONED')
  expect(provisioned.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 })
  for (const index of provisioned.GlobalSecondaryIndexes ?? []) expect(index.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 })
  const onDemand = tableDefinition({ billing: 'on-demand' })
  expect(onDemand.BillingMode).toBe('PAY_PER_REQUEST')
  expect(onDemand.ProvisionedThroughput).toBeUndefined()
  for (const index of onDemand.GlobalSecondaryIndexes ?? []) expect(index.ProvisionedThroughput).toBeUndefined()
})
