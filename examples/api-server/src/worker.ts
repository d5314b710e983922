// `npm run worker`: Pattern D from the table's stream on its own, as the stream Lambda runs it on AWS, for API
// instances started with STREAM_WORKER=off (docs/api-server.md, "Running several instances"). The same environment
// as main.ts: DYNAMODB_ENDPOINT, TABLE_NAME, REDIS_URL (the cache it refreshes, and where it publishes live events),
// REDIS_CLUSTER, MOMENTO_API_KEY. Run one: several would each apply every record (harmless, but wasted).
import { redisEventPublisher } from 'dynamo-messaging/events'
import { startLocalStreamWorker } from 'dynamo-messaging/local'
import { readConfig } from './config.js'
import { openConnections } from './connections.js'
import { createShutdown } from './shutdown.js'

const shutdown = createShutdown()
try {
  // Not a server: it issues no stream tokens and authenticates no one, so neither STREAM_TOKEN_SECRET nor Cognito is asked of it.
  const config = readConfig({ ...process.env, STREAM_WORKER: 'on', STREAM_TOKEN_SECRET: '', NODE_ENV: '' })
  const { client, redis, cache } = await openConnections(config, shutdown)
  let stopping = false
  shutdown.defer(() => void (stopping = true))
  const publish = redis && config.events === 'redis' && redisEventPublisher({ client: redis.client, onError: (error) => console.error('Could not publish an event to Redis; it is lost:', error) })
  const worker = await startLocalStreamWorker({
    client,
    tableName: config.tableName,
    ...(cache && { cache: cache.cache, onCacheError: (error, operation) => console.error(`Cache ${operation} failed:`, error) }),
    ...(publish && { onApplied: publish }),
    onError: (error) => void (stopping || console.error('Stream worker:', error))
  })
  shutdown.defer(worker.stop)
  console.log(
    [
      `Stream worker on ${config.tableName} (${config.endpoint ?? 'AWS'}): Pattern D for every new message.`,
      `  Cache: ${cache?.description ?? 'none'}; live events: ${publish ? `published to ${redis!.description}` : 'none (set REDIS_URL to publish them)'}`,
      'Ctrl-C stops it.'
    ].join('\n')
  )
} catch (error) {
  console.error('Could not start the stream worker:', error)
  await shutdown.run(1)
}
