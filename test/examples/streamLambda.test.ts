import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { Cluster, Redis } from 'ioredis'
import { subscribeRedisEvents, type AppliedConversation } from '../../src/events/index.js'
import { createMessaging, rowKey } from '../../src/index.js'
import { scanAll, testTable, user } from '../support/engine.js'
import { eventually } from '../support/processes.js'
import { startRedisCluster } from '../support/redisServer.js'
import { insertRecordOf } from '../support/streamRecords.js'

const run = promisify(execFile)
const { client, tableName } = await testTable('lambda-example')
beforeAll(() => run('node', ['examples/stream-lambda/build.mjs'])) // bundles against the built package, as for deployment

// The bundled example runs in its own process, configured only through the environment, as in Lambda.
// It exits once answered: Lambda would freeze the process with its Redis connection open.
const invokeBundle = async (event: unknown, settings: Record<string, string> = {}) => {
  const script = `
    const { handler } = await import(${JSON.stringify(`${process.cwd()}/examples/stream-lambda/dist/index.mjs`)})
    process.stdout.write(JSON.stringify(await handler(JSON.parse(process.env.EVENT))))
    process.exit(0)`
  const { stdout } = await run('node', ['--input-type=module', '-e', script], {
    env: {
      ...process.env,
      REDIS_URL: '',
      ...settings,
      EVENT: JSON.stringify(event),
      TABLE_NAME: tableName,
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local'
    }
  })
  return JSON.parse(stdout) as unknown
}

it('the bundled example stream Lambda brings both rows to the newest message', async () => {
  // Without the sender's own row brought along by the send, the Lambda has both rows to update.
  const messaging = createMessaging({ client, tableName, updateSenderRow: false })
  const [alice, bob] = [user('alice'), user('bob')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })
  const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'hello from the stream' })
  const rowsOf = async () =>
    (await scanAll(client, tableName))
      .filter((item) => item.sk === rowKey(alice.uuid, messageGroupUuid).sk)
      .map((row) => [row.pk, row.last_sk, row.message, row.unread_count])
      .sort()
  expect((await rowsOf()).map(([, lastSk]) => lastSk)).not.toContain(reply.sortKey) // the Lambda has work to do
  expect(await invokeBundle({ Records: [insertRecordOf(reply, 1)] })).toEqual({ batchItemFailures: [] })
  expect(await rowsOf()).toEqual(
    [
      [rowKey(alice.uuid, messageGroupUuid).pk, reply.sortKey, 'hello from the stream', 1],
      [rowKey(bob.uuid, messageGroupUuid).pk, reply.sortKey, 'hello from the stream', 0]
    ].sort()
  )
})

it('with REDIS_URL, the bundle publishes the conversation to the API servers through a Redis Cluster (as on ElastiCache Serverless)', { timeout: 60_000 }, async () => {
  const cluster = await startRedisCluster()
  const subscriber = new Cluster([cluster.startupNodes[1]!])
  afterAll(async () => {
    subscriber.disconnect()
    await cluster.stop()
  })
  const received: AppliedConversation[] = []
  await subscribeRedisEvents({ client: subscriber, onEvent: (applied) => received.push(applied) })
  const messaging = createMessaging({ client, tableName })
  const [carol, dave] = [user('carol'), user('dave')]
  const { messageGroupUuid } = await messaging.createMessageGroup({ sender: carol, recipient: dave, message: 'hi' })
  const reply = await messaging.createMessage({ messageGroupUuid, sender: dave, message: 'pushed live' })
  // redis:// here (no TLS locally); ElastiCache Serverless takes rediss://, which the function turns into TLS.
  const response = await invokeBundle({ Records: [insertRecordOf(reply, 1)] }, { REDIS_URL: cluster.nodes[0]!.url })
  expect(response).toEqual({ batchItemFailures: [] })
  await eventually('the subscriber to get the event', () => received.length === 1, 10_000)
  expect(received[0]).toMatchObject({ messageGroupUuid, message: { sortKey: reply.sortKey, message: 'pushed live', handle: 'dave' } })
  expect(received[0]!.participants.map((p) => [p.userUuid, p.unreadCount]).sort()).toEqual([[carol.uuid, 1], [dave.uuid, 0]].sort())
  // And it refreshed the cache there: the conversation lists' version keys were written, in the cluster.
  const keys = (await Promise.all(cluster.nodes.map(async (node) => {
    const direct = new Redis(node.url) // KEYS is one node's: ask each
    try {
      return await direct.keys('dm:*')
    } finally {
      direct.disconnect()
    }
  }))).flat()
  expect(keys.length).toBeGreaterThan(0)
})
