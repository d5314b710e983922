// The bare scenario, loading dynamo-messaging/local as an ES module (named imports included).
import * as local from 'dynamo-messaging/local'
import { SAMPLE_USERS, startDynamoDbLocal, startLocalStreamWorker } from 'dynamo-messaging/local'
import scenario from './bare-scenario.cjs'

if (!SAMPLE_USERS.ben || typeof startDynamoDbLocal !== 'function' || typeof startLocalStreamWorker !== 'function') {
  throw new Error('a named import is missing')
}
await scenario.run({ mode: 'esm', local })
