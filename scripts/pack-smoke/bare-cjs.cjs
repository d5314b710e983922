'use strict'
// The bare scenario, loading dynamo-messaging/local (and the other entry points) with require().
const local = require('dynamo-messaging/local')
const root = require('dynamo-messaging')
const stream = require('dynamo-messaging/stream')
const cache = require('dynamo-messaging/cache')
const events = require('dynamo-messaging/events')
const { run } = require('./bare-scenario.cjs')

run({ mode: 'cjs', local, root, stream, cache, events }).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
