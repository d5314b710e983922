// The scenario, loading the package as an ES module.
import * as sdk from '@aws-sdk/client-dynamodb'
import * as root from 'dynamo-messaging'
import * as stream from 'dynamo-messaging/stream'
import * as local from 'dynamo-messaging/local'
import * as admin from 'dynamo-messaging/admin'
import * as cache from 'dynamo-messaging/cache'
import * as events from 'dynamo-messaging/events'
import { fileURLToPath } from 'node:url'
import { createMessaging, tableDefinition } from 'dynamo-messaging'
import { createStreamHandler } from 'dynamo-messaging/stream'
import { startDynamoDbLocal } from 'dynamo-messaging/local'
import { adoptTable } from 'dynamo-messaging/admin'
import { redisEventPublisher } from 'dynamo-messaging/events'
import scenario from './scenario.cjs'

// Named imports work too (not only the namespace objects the scenario is given).
for (const f of [createMessaging, tableDefinition, createStreamHandler, startDynamoDbLocal, adoptTable, redisEventPublisher]) {
  if (typeof f !== 'function') throw new Error('a named import is not a function')
}
const specifiers = ['dynamo-messaging', 'dynamo-messaging/stream', 'dynamo-messaging/local', 'dynamo-messaging/admin', 'dynamo-messaging/cache', 'dynamo-messaging/events']
const resolved = Object.fromEntries(specifiers.map((s) => [s, fileURLToPath(import.meta.resolve(s))]))
await scenario.run({ mode: 'esm', resolved, root, stream, local, admin, cache, events, sdk })
