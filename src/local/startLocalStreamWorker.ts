import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
// Types only: the package is an optional peer, loaded when a worker starts (see loadStreamsSdk).
import type { DynamoDBStreamsClient, _Record as StreamsRecord, Shard } from '@aws-sdk/client-dynamodb-streams'
import { createStreamHandler, type StreamHandler, type StreamHandlerOptions } from '../stream/createStreamHandler.js'
import type { DynamoDBStreamRecord } from '../stream/types.js'
import { DEFAULT_TABLE_NAME } from '../table/tableDefinition.js'
import { importOptionalPeer } from './importOptionalPeer.js'
import { validateLocalStreamWorkerOptions } from './validateLocalStreamWorkerOptions.js'
import type { CacheOptions } from '../cache/MessagingCache.js'

/**
 * Options of {@link startLocalStreamWorker}.
 *
 * @example
 * ```ts
 * const worker = await startLocalStreamWorker({
 *   client, // a DynamoDBClient pointed at DynamoDB Local
 *   tableName: 'cruddur-messages',
 *   handler: createStreamHandler({ client, tableName: 'cruddur-messages', concurrency: 2 }),
 *   startingPosition: 'LATEST',
 *   onError: (error) => console.error('stream worker:', error)
 * })
 * ```
 */
export interface LocalStreamWorkerOptions extends CacheOptions {
  /** A client pointed at DynamoDB Local; the streams client is made with its endpoint, region and credentials. */
  client: DynamoDBClient
  /** Default `cruddur-messages`. */
  tableName?: string
  /**
   * The handler to feed; default `createStreamHandler({ client, tableName, onApplied, cache, cacheTimeoutMs,
   * onCacheError })`, the one a Lambda would run. Give those options to your own handler instead when you pass one.
   */
  handler?: StreamHandler
  /**
   * The default handler's `onApplied` (see {@link StreamHandlerOptions.onApplied}): push new messages to the
   * participants while developing locally. With your own `handler`, give it to `createStreamHandler` instead.
   */
  onApplied?: StreamHandlerOptions['onApplied']
  /** Pause between polls when caught up, in milliseconds: a whole number from 1 to 60 000. Default 200. */
  pollIntervalMs?: number
  /** Where to start in shards that exist at start-up. New shards always start at their beginning. Default `TRIM_HORIZON`. */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST'
  /** Called on errors reading the stream or running the handler; the worker keeps going. Default: `console.error`. */
  onError?: (error: unknown) => void
}

/**
 * A running {@link startLocalStreamWorker}.
 *
 * @example
 * ```ts
 * const worker: LocalStreamWorker = await startLocalStreamWorker({ client })
 * await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Alice!' })
 * await worker.drain(5_000) // Alice's conversation list now shows 'Hi Alice!'
 * await worker.stop()
 * ```
 */
export interface LocalStreamWorker {
  /** Resolves once every record written before the call has been handled successfully. */
  drain(timeoutMs?: number): Promise<void>
  /** Stops polling after the current batch. */
  stop(): Promise<void>
}

interface ShardState {
  parent?: string
  iterator?: string
  /** Last sequence number handled successfully: where to resume with a new iterator. */
  after?: string
  /** Sequence number to re-read from after the handler reported a failure. */
  retryFrom?: string
  startAt: 'TRIM_HORIZON' | 'LATEST'
  closed: boolean
}

/**
 * Runs a stream handler against DynamoDB Local's stream, as Lambda's event source mapping does on AWS: it follows
 * every shard, new ones included (children after their parents), keeps its position in each, and re-delivers from the
 * lowest failed sequence number the handler reports. Locally, a message sent shows in both conversation lists within
 * about a second, through the same code path as in production. Needs `@aws-sdk/client-dynamodb-streams` (an optional
 * peer dependency, loaded here): without it, this rejects with an error saying how to install it.
 *
 * @example
 * ```ts
 * const worker = await startLocalStreamWorker({ client, tableName: 'cruddur-messages' })
 * await messaging.createMessage({ messageGroupUuid, sender, message: 'hi' })
 * await worker.drain() // both participants' conversation rows now show 'hi'
 * await worker.stop()
 * ```
 */
export async function startLocalStreamWorker(options: LocalStreamWorkerOptions): Promise<LocalStreamWorker> {
  validateLocalStreamWorkerOptions(options)
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME
  const { cache, cacheTimeoutMs, onCacheError, onApplied } = options
  const handler =
    options.handler ??
    createStreamHandler({
      client: options.client,
      tableName,
      ...(onApplied && { onApplied }),
      ...(cache && { cache }),
      ...(cacheTimeoutMs !== undefined && { cacheTimeoutMs }),
      ...(onCacheError && { onCacheError })
    })
  const pollIntervalMs = options.pollIntervalMs ?? 200
  const onError = options.onError ?? ((error: unknown) => console.error('[stream worker]', error))
  const sdk = await loadStreamsSdk()
  const { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } = sdk
  const streams = await streamsClientLike(sdk, options.client)
  const { Table } = await options.client.send(new DescribeTableCommand({ TableName: tableName }))
  const streamArn = Table?.StreamSpecification?.StreamEnabled ? Table.LatestStreamArn : undefined
  const viewType = Table?.StreamSpecification?.StreamViewType
  if (!streamArn || (viewType !== 'NEW_IMAGE' && viewType !== 'NEW_AND_OLD_IMAGES')) {
    // A table the bootcamp's schema-load made has none: adopt turns it on (and brings the data in line).
    throw new Error(
      `Table ${tableName} has ${streamArn ? `a ${viewType} stream, not NEW_IMAGE` : 'no stream'}: run ` +
        `\`npx dynamo-messaging adopt --table ${tableName}\`${streamArn ? ' (it says how to replace the stream)' : ' to turn it on (NEW_IMAGE)'} ` +
        'and bring a bootcamp table in line, or create the table with `dynamo-messaging schema-load` (tableDefinition())'
    )
  }

  const shards = new Map<string, ShardState>()
  let firstDiscovery = true
  let running = true
  let ticks = 0
  let lastQuietTick = -1 // the last tick in which every open shard was read to its end with nothing pending
  const tickListeners = new Set<() => void>()

  async function discoverShards(): Promise<void> {
    let ExclusiveStartShardId: string | undefined
    do {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }))
      for (const shard of StreamDescription?.Shards ?? []) addShard(shard)
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId
    } while (ExclusiveStartShardId)
    firstDiscovery = false
  }

  function addShard(shard: Shard): void {
    if (!shard.ShardId || shards.has(shard.ShardId)) return
    shards.set(shard.ShardId, {
      ...(shard.ParentShardId && { parent: shard.ParentShardId }),
      startAt: firstDiscovery ? (options.startingPosition ?? 'TRIM_HORIZON') : 'TRIM_HORIZON',
      closed: false
    })
  }

  /** Takes an iterator at the shard's saved position (or its start) when it has none. */
  async function ensureIterator(shardId: string, shard: ShardState): Promise<void> {
    if (shard.iterator || shard.closed) return
    const position = shard.retryFrom
      ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER' as const, SequenceNumber: shard.retryFrom }
      : shard.after
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: shard.after }
        : { ShardIteratorType: shard.startAt }
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...position }))
    shard.iterator = ShardIterator
    shard.retryFrom = undefined
    if (!shard.iterator) shard.closed = true
  }

  /** Reads one batch from a shard; returns whether the shard had records or work pending. */
  async function pollShard(shardId: string, shard: ShardState): Promise<boolean> {
    await ensureIterator(shardId, shard)
    if (!shard.iterator) return false
    const { Records = [], NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }))
    if (Records.length === 0) {
      shard.iterator = NextShardIterator
      if (!NextShardIterator) shard.closed = true
      return false
    }
    const { batchItemFailures } = await handler({ Records: Records.map((record) => toLambdaRecord(record, streamArn!)) })
    if (batchItemFailures.length > 0) {
      // As Lambda does: start again at the lowest failed record; the ones after it are delivered again.
      shard.retryFrom = batchItemFailures[0]!.itemIdentifier || Records[0]!.dynamodb?.SequenceNumber
      shard.iterator = undefined
      return true
    }
    shard.after = Records.at(-1)?.dynamodb?.SequenceNumber ?? shard.after
    shard.iterator = NextShardIterator
    if (!NextShardIterator) shard.closed = true
    return true
  }

  async function tick(): Promise<void> {
    await discoverShards()
    let busy = false
    for (const [shardId, shard] of shards) {
      if (shard.closed) continue
      const parent = shard.parent ? shards.get(shard.parent) : undefined
      if (parent && !parent.closed) continue // per-item order: a child shard waits for its parent
      try {
        if (await pollShard(shardId, shard)) busy = true
      } catch (error) {
        busy = true
        shard.iterator = undefined // an expired or broken iterator is replaced from the saved position
        onError(error)
      }
    }
    ticks++
    if (!busy) lastQuietTick = ticks
    for (const listener of tickListeners) listener()
  }

  // Position every shard before returning, so that LATEST means "from when this call resolved".
  await discoverShards()
  for (const [shardId, shard] of shards) await ensureIterator(shardId, shard)

  const loop = (async () => {
    while (running) {
      const before = lastQuietTick
      try {
        await tick()
      } catch (error) {
        onError(error)
      }
      if (running && lastQuietTick !== before) await new Promise((resolve) => setTimeout(resolve, pollIntervalMs))
    }
  })()

  return {
    drain(timeoutMs = 10_000) {
      // Quiet at a tick that began after this call: everything written before it was handled.
      const target = ticks + 1
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          tickListeners.delete(check)
          reject(new Error(`The stream worker did not catch up within ${timeoutMs} ms`))
        }, timeoutMs)
        function check() {
          if (lastQuietTick > target) {
            clearTimeout(timer)
            tickListeners.delete(check)
            resolve()
          }
        }
        tickListeners.add(check)
      })
    },
    async stop() {
      running = false
      await loop
      streams.destroy()
    }
  }
}

type StreamsSdk = typeof import('@aws-sdk/client-dynamodb-streams')

/** The streams client package, loaded only when a worker starts, so `dynamo-messaging/local` imports without it. */
function loadStreamsSdk(): Promise<StreamsSdk> {
  return importOptionalPeer(
    '@aws-sdk/client-dynamodb-streams',
    () => import('@aws-sdk/client-dynamodb-streams'),
    'The local stream worker needs @aws-sdk/client-dynamodb-streams, an optional peer dependency of dynamo-messaging: ' +
      'run `npm install --save-dev @aws-sdk/client-dynamodb-streams`.'
  )
}

/** A streams client on the same endpoint, region and credentials as `client`. */
async function streamsClientLike({ DynamoDBStreamsClient }: StreamsSdk, client: DynamoDBClient): Promise<DynamoDBStreamsClient> {
  const config = client.config as unknown as {
    endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>
    region: () => Promise<string>
    credentials: DynamoDBStreamsClient['config']['credentials']
  }
  const endpoint = config.endpoint ? await config.endpoint() : undefined
  return new DynamoDBStreamsClient({
    region: await config.region(),
    credentials: config.credentials,
    ...(endpoint && {
      endpoint: `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}${endpoint.path}`
    })
  })
}

/** The GetRecords shape, as Lambda's event source mapping would hand it to a function. */
function toLambdaRecord(record: StreamsRecord, streamArn: string): DynamoDBStreamRecord {
  const { dynamodb } = record
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventSource: 'aws:dynamodb',
    eventSourceARN: streamArn,
    userIdentity: record.userIdentity,
    dynamodb: {
      Keys: dynamodb?.Keys as Record<string, { S?: string }> | undefined,
      NewImage: dynamodb?.NewImage as Record<string, { S?: string }> | undefined,
      SequenceNumber: dynamodb?.SequenceNumber,
      StreamViewType: dynamodb?.StreamViewType
    }
  }
}
