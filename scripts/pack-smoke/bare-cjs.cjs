'use strict'
// The bare scenario, loading dynamo-messaging/local with require().
const local = require('dynamo-messaging/local')
const { run } = require('./bare-scenario.cjs')

run({ mode: 'cjs', local }).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
