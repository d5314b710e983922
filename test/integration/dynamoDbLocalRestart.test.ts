import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams'
import { tableDefinition } from '../../src/index.js'
import { localDynamoDbClient, startDynamoDbLocal, type LocalDynamoDb } from '../../src/local/index.js'
import { isGone } from '../support/processes.js'

// The load harness kills DynamoDB Local with SIGKILL and restarts it on the same port and data directory: what
// survives decides whether conversation rows can converge without `repair`.
const dbPath = mkdtempSync(join(tmpdir(), 'dynamodb-local-'))
const running: LocalDynamoDb[] = []
afterAll(async () => {
  for (const local of running) await local.stop()
  rmSync(dbPath, { recursive: true, force: true })
})

async function streamRecordKeys(endpoint: string, tableName: string): Promise<string[]> {
  const client = localDynamoDbClient(endpoint)
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })
  try {
    const arn = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table!.LatestStreamArn!
    const keys: string[] = []
    for (const shard of (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards!) {
      const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
      const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }))
      keys.push(...(Records ?? []).map((record) => record.dynamodb!.Keys!.pk!.S!))
    }
    return keys
  } finally {
    client.destroy()
    streams.destroy()
  }
}

describe('startDynamoDbLocal({ dbPath })', () => {
  it('keeps tables, items and stream records across a SIGKILL and a restart on the same port and directory', async () => {
    const first = await startDynamoDbLocal({ dbPath })
    running.push(first)
    const client = localDynamoDbClient(first.endpoint)
    await client.send(new CreateTableCommand(tableDefinition({ tableName: 'kept' })))
    await client.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'before' }, sk: { S: 'x' } } }))
    expect(await streamRecordKeys(first.endpoint, 'kept')).toEqual(['before'])

    process.kill(first.pid!, 'SIGKILL')
    await expect.poll(() => isGone(first.pid!), { timeout: 10_000 }).toBe(true)
    const second = await startDynamoDbLocal({ dbPath, port: Number(new URL(first.endpoint).port) })
    running.push(second)
    expect(second.endpoint).toBe(first.endpoint)
    await client.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'after' }, sk: { S: 'x' } } }))
    const kept = await client.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'before' }, sk: { S: 'x' } }, ConsistentRead: true }))
    expect(kept.Item).toBeDefined()
    expect(await streamRecordKeys(second.endpoint, 'kept')).toEqual(['before', 'after'])
    client.destroy()
  })
})
