// The CLI's reading commands through a real Redis (`--redis-url`): the second read is answered by the cache, at no
// read capacity, and a Redis that does not answer only costs a warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { adoptTable } from '../../src/admin/index.js'
import { messageGroupUuidFor } from '../../src/index.js'
import { SAMPLE_USERS } from '../../src/local/sampleUsers.js'
import { createTestTable, dropTestTable, engineClient } from '../support/engine.js'
import { freePort } from '../support/processes.js'
import { redisUrl } from '../support/cache.js'
import { on, runCli } from '../cli/runCli.js'
import { writeBootcampTable } from '../support/bootcampTable.js'
import { timeOfSortKey } from '../../src/index.js'

const client = engineClient()
let tableName: string
const { ada, ben } = SAMPLE_USERS
beforeAll(async () => {
  tableName = await createTestTable(client, 'cache-cli')
  expect((await runCli(['seed', ...on(tableName)])).code).toBe(0)
})
afterAll(async () => {
  await dropTestTable(client, tableName)
  client.destroy()
})

describe('--redis-url', () => {
  it('get-conversation and list-conversations read through the cache: the second time at no read capacity', async () => {
    for (const args of [['get-conversation', messageGroupUuidFor(ada.uuid, ben.uuid)], ['list-conversations', 'ada']]) {
      const first = await runCli([...args, '--json', '--redis-url', redisUrl(), ...on(tableName)])
      expect(first.code, first.stderr).toBe(0)
      expect(first.stderr).toMatch(/: 0 hits, 1 miss$/m)
      expect(first.stderr).not.toMatch(/^consumed capacity: 0 RCU/m)
      const second = await runCli([...args, '--json', '--redis-url', redisUrl(), ...on(tableName)])
      expect(second.stderr).toMatch(/: 1 hit, 0 misses$/m)
      expect(second.stderr).toMatch(/^consumed capacity: 0 RCU/m)
      expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout))
    }
  })

  it('answers from DynamoDB, with one warning, when Redis does not answer; refuses a URL that is not redis://', async () => {
    const result = await runCli(['list-conversations', 'ada', '--redis-url', `redis://127.0.0.1:${await freePort()}`, ...on(tableName)])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('ben')
    expect(result.stderr).toMatch(/^warning: cache read failed, read DynamoDB instead/m)
    const bad = await runCli(['list-conversations', 'ada', '--redis-url', 'http://localhost:6379', ...on(tableName)])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('expected a redis:// or rediss:// URL')
  })

  it('repair --redis-url marks the conversation lists it changed stale in that cache', async () => {
    const bootcamp = await writeBootcampTable(client, { tableName: `cache-cli-repair-${Date.now()}`, seed: 7 })
    try {
      await adoptTable({ client, tableName: bootcamp.tableName, retry: { baseDelayMs: 1 } })
      const behind = bootcamp.conversations.find((c) => c.damage === 'behind')!
      const owner = behind.participants[0].uuid
      // Other code moves the owner's row back to the conversation's first message.
      await DynamoDBDocumentClient.from(client).send(
        new UpdateCommand({
          TableName: bootcamp.tableName,
          Key: { pk: `GRP#${owner}`, sk: `MSG#${behind.messageGroupUuid}` },
          UpdateExpression: 'SET last_sk = :sk',
          ExpressionAttributeValues: { ':sk': behind.messages[0]!.sk }
        })
      )
      const lastMessageAt = async () => {
        const listed = await runCli(['list-conversations', owner, '--json', '--redis-url', redisUrl(), ...on(bootcamp.tableName)])
        expect(listed.code, listed.stderr).toBe(0)
        return { stderr: listed.stderr, at: (JSON.parse(listed.stdout) as Array<{ messageGroupUuid: string; lastMessageAt: string }>).find((g) => g.messageGroupUuid === behind.messageGroupUuid)?.lastMessageAt }
      }
      const newest = timeOfSortKey(behind.messages.at(-1)!.sk)
      const stale = await lastMessageAt()
      const repaired = await runCli(['repair', '--all', '--redis-url', redisUrl(), ...on(bootcamp.tableName)])
      expect(repaired.code, repaired.stderr).toBe(0)
      const fresh = await lastMessageAt()
      expect([stale.at === newest, fresh.at]).toEqual([false, newest])
      expect(fresh.stderr).toMatch(/: 0 hits, 1 miss$/m) // the repaired user's list was read again, not served stale
    } finally {
      await dropTestTable(client, bootcamp.tableName)
    }
  })
})
