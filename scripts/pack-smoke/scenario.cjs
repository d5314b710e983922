'use strict'
// The scenario both entry files run, given the modules they loaded (ESM `import` or CommonJS `require`): it
// imports nothing itself, so each run exercises only its own way of loading the package.
const assert = require('node:assert/strict')
const { randomUUID } = require('node:crypto')
const { EventEmitter } = require('node:events')

/**
 * @param {object} loaded
 * @param {'esm' | 'cjs'} loaded.mode
 * @param {Record<string, string>} loaded.resolved the file each specifier resolved to
 * @param {any} loaded.root `dynamo-messaging`
 * @param {any} loaded.stream `dynamo-messaging/stream`
 * @param {any} loaded.local `dynamo-messaging/local`
 * @param {any} loaded.admin `dynamo-messaging/admin`
 * @param {any} loaded.cache `dynamo-messaging/cache`
 * @param {any} loaded.events `dynamo-messaging/events`
 * @param {any} loaded.sdk `@aws-sdk/client-dynamodb`
 */
async function run({ mode, resolved, root, stream, local, admin, cache, events, sdk }) {
  // The exports map: each mode gets its own build of each entry point, from the installed tarball.
  const extension = mode === 'esm' ? '.js' : '.cjs'
  for (const [specifier, file] of Object.entries(resolved)) {
    assert.match(file, /\/node_modules\/dynamo-messaging\/dist\//, `${specifier} resolved outside the package: ${file}`)
    assert.ok(file.endsWith(extension), `${specifier} resolved to ${file}, not a ${extension} file`)
  }
  // Entry points share one copy of what they both export, so `instanceof` works whichever path a class came from.
  assert.equal(stream.createStreamHandler, root.createStreamHandler, 'createStreamHandler differs between entry points')
  assert.equal(stream.ConcurrentUpdateError, root.ConcurrentUpdateError, 'ConcurrentUpdateError differs between entry points')
  assert.equal(admin.ValidationError, root.ValidationError, 'ValidationError differs between entry points')
  assert.equal(typeof local.startDynamoDbLocal, 'function')
  assert.equal(typeof local.startLocalStreamWorker, 'function')

  const fromEnv = process.env.DYNAMODB_ENDPOINT
  const engine = fromEnv ? { endpoint: fromEnv, stop: async () => {} } : await local.startDynamoDbLocal()
  const client = new sdk.DynamoDBClient({
    endpoint: engine.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' }
  })
  const tableName = `pack-smoke-${mode}-${randomUUID()}`
  try {
    await client.send(new sdk.CreateTableCommand(root.tableDefinition({ tableName, billing: 'on-demand' })))
    // Through an in-memory cache from the cache entry point, shared with the stream handler that invalidates it.
    const shared = cache.memoryCache()
    const messaging = root.createMessaging({ client, tableName, cache: shared })
    const alice = { uuid: randomUUID(), displayName: 'Alice', handle: 'alice' }
    const bob = { uuid: randomUUID(), displayName: 'Bob', handle: 'bob' }
    const carol = { uuid: randomUUID(), displayName: 'Carol', handle: 'carol' }

    const group = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'Hi Bob!' })
    assert.equal(group.created, true)
    assert.equal(group.messageGroupUuid, root.messageGroupUuidFor(bob.uuid, alice.uuid))
    const { messageGroupUuid } = group
    const reply = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice!' })

    // Pattern D through the stream entry point, on the record Lambda would deliver for the reply.
    await messaging.listMessageGroups({ userUuid: alice.uuid }) // cached before Pattern D moves the row
    const handler = stream.createStreamHandler({ client, tableName, cache: shared })
    const batch = {
      Records: [
        {
          eventName: 'INSERT',
          dynamodb: {
            SequenceNumber: '100000000000000000001',
            NewImage: {
              pk: { S: root.messagePk(messageGroupUuid) },
              sk: { S: reply.sortKey },
              message: { S: reply.message }
            }
          }
        }
      ]
    }
    const response = await handler(batch)
    assert.deepEqual(response, { batchItemFailures: [] })

    // The events entry point: the stream handler's onApplied publishes, a subscriber reads it back (clients stand in
    // for ioredis's, which this project need not install).
    const published = []
    const publish = events.redisEventPublisher({ client: { status: 'ready', publish: async (channel, text) => published.push([channel, text]) } })
    assert.deepEqual(await stream.createStreamHandler({ client, tableName, onApplied: publish })(batch), { batchItemFailures: [] })
    assert.deepEqual(published.map(([channel]) => channel), [events.DEFAULT_EVENTS_CHANNEL])
    const subscriber = new EventEmitter()
    subscriber.subscribe = subscriber.unsubscribe = async () => 1
    const received = []
    await events.subscribeRedisEvents({ client: subscriber, onEvent: (applied) => received.push(applied) })
    subscriber.emit('message', ...published[0])
    assert.deepEqual(
      received.map((applied) => [applied.messageGroupUuid, applied.message.message, applied.participants.map((p) => p.userUuid).sort()]),
      [[messageGroupUuid, 'Hi Alice!', [alice.uuid, bob.uuid].sort()]]
    )

    const page = await messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid })
    assert.deepEqual(page.items.map((m) => `${m.handle}: ${m.message}`), ['bob: Hi Alice!', 'alice: Hi Bob!'])
    assert.equal(page.cursor, undefined)
    for (const [user, other] of [[alice, bob], [bob, alice]]) {
      const groups = await messaging.listMessageGroups({ userUuid: user.uuid })
      assert.deepEqual(
        groups.items.map((g) => [g.messageGroupUuid, g.otherUserHandle, g.lastMessage, g.sortKey]),
        [[messageGroupUuid, other.handle, 'Hi Alice!', reply.sortKey]],
        `${user.handle}'s conversations`
      )
    }

    // Typed errors keep their class and code across the bundle, the cache entry point's included.
    assert.throws(() => cache.redisCache({ client: {} }), (error) => error instanceof root.ValidationError)
    await assert.rejects(messaging.createMessage({ messageGroupUuid, sender: carol, message: 'Hi!' }), (error) => {
      assert.ok(error instanceof root.NotAMemberError, `not a NotAMemberError: ${error}`)
      assert.ok(error instanceof root.MessagingError)
      assert.equal(error.code, 'NOT_A_MEMBER')
      return true
    })
    await assert.rejects(messaging.createMessage({ messageGroupUuid, sender: bob, message: '   ' }), (error) => {
      assert.ok(error instanceof root.ValidationError, `not a ValidationError: ${error}`)
      assert.deepEqual(error.issues.map((issue) => issue.code), ['message_blank'])
      return true
    })

    // The admin entry point: a table the library made needs nothing (its conversation is in the new layout).
    const adopted = await admin.adoptTable({ client, tableName })
    assert.deepEqual(
      [adopted.conversations, adopted.migrated, adopted.pairs.linked, adopted.written, adopted.deleted, adopted.failed],
      [1, 0, 0, { conversations: 0, memberships: 0, rows: 0 }, { rows: 0, membersItems: 0 }, []]
    )
  } finally {
    await client.send(new sdk.DeleteTableCommand({ TableName: tableName })).catch(() => {})
    client.destroy()
    await engine.stop()
  }
}

module.exports = { run }
