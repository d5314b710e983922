// `npm start`: DynamoDB Local in memory, the table, a few seeded conversations, and the API server with its stream
// worker, all in one command. Ctrl-C stops everything, DynamoDB Local's Java process included.
import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import { tableDefinition } from 'dynamo-messaging'
import { seedSampleConversations, startDynamoDbLocal, type SeededConversation } from 'dynamo-messaging/local'
import { cognitoAuth, devAuth } from './auth.js'
import { dynamoDbClient, readConfig } from './config.js'
import { createShutdown } from './shutdown.js'
import { eventSourceFor, startApiServer } from './startApiServer.js'
import { loadUserDirectory } from './users.js'
import { openConnections } from './connections.js'

// The bootcamp's React front end runs on port 3000: allowed by default here, as if FRONTEND_URL said so.
const DEFAULT_FRONTEND_URL = 'http://localhost:3000'
const shutdown = createShutdown()
try {
  console.log('Starting DynamoDB Local…')
  // Registered before awaiting: Ctrl-C while Java is still starting must stop it too, once it has started.
  const starting = startDynamoDbLocal()
  shutdown.defer(async () => (await starting.catch(() => undefined))?.stop())
  const local = await starting
  // Quiet by default (warnings and errors only): the printed lines below are what a developer needs.
  const config = readConfig({ LOG_LEVEL: 'warn', ...process.env, DYNAMODB_ENDPOINT: local.endpoint })
  // The cache in memory unless REDIS_URL or MOMENTO_API_KEY asks for another; the stream worker below refreshes it too.
  // With REDIS_URL, live events go through Redis as well, so instances started with `npm run api` get them too.
  const { client, redis, cache } = await openConnections(config, shutdown, { kind: 'memory' })
  // Setting up gets more patience than a request: a CreateTable that outlived the requests' timeout on a busy machine
  // would be retried by the SDK and refused as a table that already exists.
  const setup = dynamoDbClient({ ...config, dynamoDb: { ...config.dynamoDb, timeoutMs: 30_000 } })
  await setup.send(new CreateTableCommand(tableDefinition({ tableName: config.tableName })))
  const users = await loadUserDirectory(config.usersFile)
  const seeded = await seedSampleConversations({ client: setup, tableName: config.tableName })
  setup.destroy()
  const corsOrigins = config.corsOrigins.length > 0 ? config.corsOrigins : [DEFAULT_FRONTEND_URL]
  const api = await startApiServer({
    client,
    tableName: config.tableName,
    users,
    auth: config.cognito ? cognitoAuth(config.cognito) : devAuth(),
    port: config.port,
    host: config.host,
    streamWorker: true,
    logger: { level: config.logLevel },
    corsOrigins,
    cache: cache.cache,
    onCacheRead: (event) => console.log(`[cache] ${event.hit ? 'hit ' : 'miss'} ${event.kind} ${event.uuid}`),
    events: eventSourceFor(config.events, redis),
    ...(config.streamTokenSecret && { streamTokenSecret: config.streamTokenSecret }),
    limits: config.limits
  })
  shutdown.defer(api.stop)
  console.log(welcome(api.url, local.endpoint, config.tableName, seeded, !config.cognito, corsOrigins, cache.description))
} catch (error) {
  console.error('Could not start:', error)
  await shutdown.run(1)
}

function welcome(
  url: string,
  endpoint: string,
  tableName: string,
  seeded: SeededConversation[],
  dev: boolean,
  origins: readonly string[],
  cache: string
): string {
  const handles = (c: SeededConversation) => c.participants.map((p) => p.handle)
  const adaBen = seeded.find((c) => handles(c).includes('ada') && handles(c).includes('ben'))?.messageGroupUuid ?? '<message_group_uuid>'
  const as = (handle: string) => `-H 'Authorization: Bearer dev:${handle}'`
  const json = `-H 'Content-Type: application/json'`
  return [
    '',
    `Chat page: ${url}/  (open it in two windows, sign in as ada in one and ben in the other)`,
    `Cruddur messages API listening on ${url}`,
    `  DynamoDB Local ${endpoint}, table ${tableName}, ${seeded.length} seeded conversations; stream worker on (Pattern D)`,
    `  Cache: ${cache}; each lookup prints a [cache] hit or miss line`,
    dev
      ? '  Dev auth: `Authorization: Bearer dev:<handle>` signs in as ada, ben, cleo or dana.'
      : '  Cognito auth: send a Cognito access token as `Authorization: Bearer <token>`.',
    `  Browsers may call it from ${origins.join(', ')} (CORS; set FRONTEND_URL and BACKEND_URL to change).`,
    '',
    'Try:',
    `  curl -s ${as('ada')} ${url}/api/message_groups`,
    `  curl -s -i ${as('ada')} '${url}/api/messages/${adaBen}?limit=2'`,
    `  curl -s ${as('ben')} ${json} -d '{"message":"Shipped!","message_group_uuid":"${adaBen}"}' ${url}/api/messages`,
    `  curl -s -X POST ${as('ada')} ${url}/api/message_groups/${adaBen}/read`,
    `  curl -s ${as('ada')} ${json} -d '{"message":"Hi Cleo!","handle":"cleo"}' ${url}/api/messages`,
    `  curl -s ${as('cleo')} ${url}/api/users/@dana/short`,
    '',
    'Ctrl-C stops the server, the stream worker and DynamoDB Local.'
  ].join('\n')
}
