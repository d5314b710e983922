// The bare scenario, loading dynamo-messaging/local (and the other entry points) as ES modules (named imports included).
import * as local from 'dynamo-messaging/local'
import * as root from 'dynamo-messaging'
import * as stream from 'dynamo-messaging/stream'
import * as cache from 'dynamo-messaging/cache'
import * as events from 'dynamo-messaging/events'
import { SAMPLE_USERS, startDynamoDbLocal, startLocalStreamWorker } from 'dynamo-messaging/local'
import scenario from './bare-scenario.cjs'

if (!SAMPLE_USERS.ben || typeof startDynamoDbLocal !== 'function' || typeof startLocalStreamWorker !== 'function') {
  throw new Error('a named import is missing')
}
await scenario.run({ mode: 'esm', local, root, stream, cache, events })
