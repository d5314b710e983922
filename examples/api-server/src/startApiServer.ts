import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { FastifyInstance } from 'fastify'
import { createMessaging, type CacheReadEvent, type MessagingCache } from 'dynamo-messaging'
import { startLocalStreamWorker, type LocalStreamWorker } from 'dynamo-messaging/local'
import type { Authenticator } from './auth.js'
import { buildServer, type BuildServerOptions } from './buildServer.js'
import { createEventHub, type EventHub } from './events/eventHub.js'
import type { UserDirectory } from './users.js'

export interface StartApiServerOptions {
  client: DynamoDBClient
  tableName: string
  users: UserDirectory
  auth: Authenticator
  port: number
  host: string
  /** Also run Pattern D from the table's stream here, as the Lambda would on AWS. */
  streamWorker: boolean
  logger?: BuildServerOptions['logger']
  corsOrigins?: readonly string[]
  /** Patterns A and B through this cache; the stream worker, when on, invalidates it. */
  cache?: MessagingCache
  /** Told of each cache lookup; default: a `debug` log line. */
  onCacheRead?: (event: CacheReadEvent) => void
}

/** A listening API server and, in local mode, its stream worker. */
export interface ApiServer {
  readonly url: string
  readonly server: FastifyInstance
  readonly worker?: LocalStreamWorker
  /** The live-update fan-out, when the worker runs here. */
  readonly events?: EventHub
  /** Stops taking requests, finishes those in flight, then stops the worker. The client is the caller's to destroy. */
  stop(): Promise<void>
}

/** Shared by `main.ts` and `startLocal.ts`: builds the server, starts the worker if asked, listens. */
export async function startApiServer(options: StartApiServerOptions): Promise<ApiServer> {
  const { client, tableName, cache } = options
  const cacheOptions = cache && {
    cache,
    onCacheRead: options.onCacheRead ?? ((event: CacheReadEvent) => server.log.debug({ cache: event }, event.hit ? 'cache hit' : 'cache miss')),
    onCacheError: (error: unknown, operation: string) => server.log.warn({ err: error, operation }, 'cache failed; served from DynamoDB')
  }
  // Live updates need the worker in this process: it is what learns of new messages (on AWS, the Lambda's onApplied).
  const events = options.streamWorker ? createEventHub((error) => server.log.warn({ err: error }, 'event stream write failed')) : undefined
  const server = buildServer({
    messaging: createMessaging({ client, tableName, ...cacheOptions }),
    users: options.users,
    auth: options.auth,
    ...(options.logger !== undefined && { logger: options.logger }),
    ...(options.corsOrigins !== undefined && { corsOrigins: options.corsOrigins }),
    ...(events && { events })
  })
  let stopping = false
  const worker = options.streamWorker
    ? await startLocalStreamWorker({
        client,
        tableName,
        ...(cacheOptions && { cache, onCacheError: cacheOptions.onCacheError }),
        ...(events && { onApplied: events.publish }),
        // While shutting down, DynamoDB Local may already be gone (Ctrl-C reaches it too): that noise is expected.
        onError: (error) => void (stopping || server.log.error({ err: error }, 'stream worker'))
      })
    : undefined
  const stop = async () => {
    stopping = true
    await server.close()
    await worker?.stop()
  }
  try {
    const url = await server.listen({ port: options.port, host: options.host })
    return { url, server, ...(worker && { worker }), ...(events && { events }), stop }
  } catch (error) {
    await stop()
    throw error
  }
}
