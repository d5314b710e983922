import { expect, it } from 'vitest'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { INBOX_INDEX, tableDefinition, UNREAD_INDEX } from '../../src/index.js'
import { testTable } from '../support/engine.js'

const { client, tableName } = await testTable('definition')

it('creates the layout: pk/sk, the sparse inbox-index (pk, last_sk, ALL), the sparse unread-index (keys only), a NEW_IMAGE stream', async () => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
  expect(Table?.KeySchema).toEqual([
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' }
  ])
  expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema, index.Projection?.ProjectionType])).toEqual([
    [INBOX_INDEX, [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'last_sk', KeyType: 'RANGE' }], 'ALL'],
    [UNREAD_INDEX, [{ AttributeName: 'unread_owner_uuid', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], 'KEYS_ONLY']
  ])
  // No message_group_uuid index: the bootcamp's stream function, which reads one, never finds the new rows.
  expect(Table?.AttributeDefinitions?.map((a) => a.AttributeName).sort()).toEqual(['last_sk', 'pk', 'sk', 'unread_owner_uuid'])
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
