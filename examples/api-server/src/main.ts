// The API server from the environment (see config.ts): `tsx examples/api-server/src/main.ts`.
// With DYNAMODB_ENDPOINT set it also runs Pattern D from the table's stream, since DynamoDB Local has no Lambda
// (STREAM_WORKER=off leaves that to `npm run worker`, or to the stream Lambda on AWS).
import { cognitoAuth, devAuth } from './auth.js'
import { readConfig } from './config.js'
import { openConnections } from './connections.js'
import { createShutdown } from './shutdown.js'
import { eventSourceFor, startApiServer } from './startApiServer.js'
import { loadUserDirectory } from './users.js'

const shutdown = createShutdown()
try {
  const config = readConfig()
  const { client, redis, cache } = await openConnections(config, shutdown)
  const api = await startApiServer({
    client,
    tableName: config.tableName,
    users: await loadUserDirectory(config.usersFile),
    auth: config.cognito ? cognitoAuth(config.cognito) : devAuth(),
    port: config.port,
    host: config.host,
    streamWorker: config.streamWorker,
    logger: { level: config.logLevel },
    corsOrigins: config.corsOrigins,
    ...(cache && { cache: cache.cache }),
    events: eventSourceFor(config.events, redis),
    ...(config.streamTokenSecret && { streamTokenSecret: config.streamTokenSecret }),
    limits: config.limits
  })
  shutdown.defer(api.stop)
  if (config.events === 'redis' && !config.streamTokenSecret) {
    api.server.log.warn('STREAM_TOKEN_SECRET is not set: event stream tokens are valid only on the instance that issued them')
  }
  api.server.log.info(
    {
      table: config.tableName,
      endpoint: config.endpoint ?? 'AWS',
      auth: config.cognito ? 'cognito' : 'dev',
      streamWorker: config.streamWorker,
      cache: cache?.description ?? 'none',
      events: config.events
    },
    'Cruddur messages API ready'
  )
} catch (error) {
  console.error('Could not start the API server:', error)
  await shutdown.run(1)
}
