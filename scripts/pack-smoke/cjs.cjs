'use strict'
// The scenario, loading the package with require().
const sdk = require('@aws-sdk/client-dynamodb')
const root = require('dynamo-messaging')
const stream = require('dynamo-messaging/stream')
const local = require('dynamo-messaging/local')
const admin = require('dynamo-messaging/admin')
const cache = require('dynamo-messaging/cache')
const events = require('dynamo-messaging/events')
const { createMessaging, tableDefinition } = require('dynamo-messaging')
const { createStreamHandler } = require('dynamo-messaging/stream')
const { startDynamoDbLocal } = require('dynamo-messaging/local')
const { adoptTable } = require('dynamo-messaging/admin')
const { redisEventPublisher } = require('dynamo-messaging/events')
const { run } = require('./scenario.cjs')

for (const f of [createMessaging, tableDefinition, createStreamHandler, startDynamoDbLocal, adoptTable, redisEventPublisher]) {
  if (typeof f !== 'function') throw new Error('a named require is not a function')
}
const specifiers = ['dynamo-messaging', 'dynamo-messaging/stream', 'dynamo-messaging/local', 'dynamo-messaging/admin', 'dynamo-messaging/cache', 'dynamo-messaging/events']
const resolved = Object.fromEntries(specifiers.map((s) => [s, require.resolve(s)]))
run({ mode: 'cjs', resolved, root, stream, local, admin, cache, events, sdk }).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
