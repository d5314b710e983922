// The API server from the environment (see config.ts): `tsx examples/api-server/src/main.ts`.
// With DYNAMODB_ENDPOINT set it also runs Pattern D from the table's stream, since DynamoDB Local has no Lambda.
import { cognitoAuth, devAuth } from './auth.js'
import { dynamoDbClient, readConfig } from './config.js'
import { createShutdown } from './shutdown.js'
import { startApiServer } from './startApiServer.js'
import { loadUserDirectory } from './users.js'
import { openCache } from './cache.js'

const shutdown = createShutdown()
try {
  const config = readConfig()
  const client = dynamoDbClient(config)
  shutdown.defer(() => client.destroy())
  const cache = config.cache && (await openCache(config.cache))
  if (cache) shutdown.defer(cache.close)
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
    ...(cache && { cache: cache.cache })
  })
  shutdown.defer(api.stop)
  api.server.log.info(
    { table: config.tableName, endpoint: config.endpoint ?? 'AWS', auth: config.cognito ? 'cognito' : 'dev', streamWorker: config.streamWorker, cache: cache?.description ?? 'none' },
    'Cruddur messages API ready'
  )
} catch (error) {
  console.error('Could not start the API server:', error)
  await shutdown.run(1)
}
