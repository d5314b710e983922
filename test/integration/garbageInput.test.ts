import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  applyStreamRecord,
  createMessaging,
  createMessagingTable,
  createStreamHandler,
  isMessageSortKey,
  memberSk,
  messageGroupPk,
  messageGroupUuidFor,
  messagePk,
  MessagingError,
  messageSk,
  parseMemberSk,
  parseMessageGroupPk,
  parseMessagePk,
  planInboxUpdate,
  readStreamMessage,
  rowKey,
  tableDefinition,
  timeOfSortKey,
  ValidationError
} from '../../src/index.js'
import { localDynamoDbClient, seedSampleConversations, startDynamoDbLocal, startLocalStreamWorker } from '../../src/local/index.js'
import { adoptTable, planTableChanges, repairTable } from '../../src/admin/index.js'
import { createTestTable, dropTestTable, scanAll, testTable, user } from '../support/engine.js'

// Every public function of `dynamo-messaging`, `dynamo-messaging/stream` (a subset of it), `dynamo-messaging/local` and
// `dynamo-messaging/admin`,
// fed garbage: each either returns a sane value or throws a MessagingError (never a TypeError, a toolbox or an AWS
// error), and those that touch the table write nothing when they throw.

const { client, tableName } = await testTable('garbage')
const messaging = createMessaging({ client, tableName })
const alice = user('alice')
const bob = user('bob')
const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'hi' })

const huge = fc.constantFrom('x'.repeat(1_000_000), 'é'.repeat(300_000), '😀'.repeat(100_000), `${'0'.repeat(2000)}.${'a'.repeat(50)}`)
const wrongCaseUuid = fc.uuid().map((uuid) => uuid.toUpperCase())
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, Number.NaN, Infinity, -Infinity, 0, -1, 1.5, true, '', ' ', '\u200b', 'undefined', '#CONVERSATION', '#MEMBER#'),
  fc.double(),
  fc.integer(),
  fc.string({ unit: 'binary' }),
  fc.object(),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.date({ noInvalidDate: false }),
  wrongCaseUuid,
  huge,
  fc.constantFrom(messageGroupUuid.toUpperCase(), alice.uuid.toUpperCase())
)
/** An object whose fields are garbage, or garbage itself: reaches past the first "is it an object" check. */
const shaped = (names: readonly string[]) =>
  fc.oneof(garbage, fc.record(Object.fromEntries(names.map((name) => [name, garbage])), { requiredKeys: [] }))
const participant = shaped(['uuid', 'displayName', 'handle'])

type Outcome = { value: unknown } | { error: unknown }
async function outcomeOf(run: () => unknown): Promise<Outcome> {
  try {
    return { value: await run() }
  } catch (error) {
    return { error }
  }
}

/** Runs `run` on each input: a sane value, or a MessagingError. With `table`, a throw must leave the table as it was. */
async function saneOrMessagingError<T>(
  arbitrary: fc.Arbitrary<T>,
  run: (input: T) => unknown,
  sane: (value: any) => boolean,
  options: { table?: boolean; numRuns?: number } = {}
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const before = options.table ? await scanAll(client, tableName) : undefined
      const outcome = await outcomeOf(() => run(input))
      if ('error' in outcome) {
        if (!(outcome.error instanceof MessagingError)) throw outcome.error // shown as the counterexample's cause
        if (before) expect(await scanAll(client, tableName)).toEqual(before)
      } else {
        expect(sane(outcome.value)).toBe(true)
      }
    }),
    { numRuns: options.numRuns ?? 60 }
  )
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const isPage = (value: { items?: unknown; cursor?: unknown }) => Array.isArray(value.items) && (value.cursor === undefined || typeof value.cursor === 'string')

describe('dynamo-messaging: keys, ids and definitions', () => {
  it('key builders give a key or throw ValidationError, never MSG#undefined', async () => {
    await saneOrMessagingError(garbage, messagePk as (value: unknown) => string, (key: string) => /^MSG#/.test(key) && UUID.test(key.slice(4)))
    await saneOrMessagingError(garbage, messageGroupPk as (value: unknown) => string, (key: string) => /^GRP#/.test(key) && UUID.test(key.slice(4)))
    await saneOrMessagingError(garbage, memberSk as (value: unknown) => string, (key: string) => /^#MEMBER#/.test(key) && UUID.test(key.slice(8)))
    await saneOrMessagingError(fc.tuple(garbage, garbage), ([u, g]) => rowKey(u as string, g as string), (key) => /^GRP#/.test(key.pk) && /^MSG#/.test(key.sk))
    await saneOrMessagingError(fc.tuple(garbage, garbage), ([time, id]) => messageSk(time as Date, id as string), isMessageSortKey)
    await saneOrMessagingError(fc.tuple(garbage, garbage), ([a, b]) => messageGroupUuidFor(a as string, b as string), (id: string) => UUID.test(id))
  })

  it('parsers and predicates answer undefined or false for what is not a key, and never throw', async () => {
    const never = (run: (value: unknown) => unknown, sane: (value: any) => boolean) =>
      fc.assert(fc.property(garbage, (value) => sane(run(value))), { numRuns: 200 })
    never(parseMessagePk as (value: unknown) => unknown, (id) => id === undefined || typeof id === 'string')
    never(parseMessageGroupPk as (value: unknown) => unknown, (id) => id === undefined || typeof id === 'string')
    never(parseMemberSk as (value: unknown) => unknown, (id) => id === undefined || typeof id === 'string')
    never(timeOfSortKey as (value: unknown) => unknown, (time) => time === undefined || !Number.isNaN(Date.parse(time)))
    never(isMessageSortKey, (answer) => typeof answer === 'boolean')
  })

  it('tableDefinition and createMessagingTable', async () => {
    const tableOptions = shaped(['tableName', 'billing', 'readCapacityUnits', 'writeCapacityUnits'])
    await saneOrMessagingError(tableOptions, (options) => tableDefinition(options as never), (input) => /^[\w.-]{3,255}$/.test(input.TableName))
    await saneOrMessagingError(shaped(['tableName', 'documentClient']), (options) => createMessagingTable(options as never), (made) => made.table !== undefined)
  })

  it('createMessaging and createStreamHandler', async () => {
    const clientOr = fc.oneof(garbage, fc.constant(client))
    const messagingOptions = fc.oneof(
      garbage,
      fc.record({ client: clientOr, tableName: garbage, now: garbage, newUlid: garbage, onMalformedItem: garbage, updateSenderRow: garbage }, { requiredKeys: [] })
    )
    await saneOrMessagingError(messagingOptions, (options) => createMessaging(options as never), (made) => typeof made.listMessages === 'function')
    const handlerOptions = fc.oneof(
      garbage,
      fc.record(
        { client: clientOr, tableName: garbage, concurrency: garbage, maxAttempts: garbage, baseDelayMs: garbage, onSkip: garbage, onError: garbage, onApplied: garbage },
        { requiredKeys: [] }
      )
    )
    await saneOrMessagingError(handlerOptions, (options) => createStreamHandler(options as never), (made) => typeof made === 'function')
  })

  it('planInboxUpdate, readStreamMessage and applyStreamRecord', async () => {
    const rows = fc.oneof(
      garbage,
      fc.array(fc.oneof(garbage, shaped(['pk', 'sk', 'last_sk', 'message', 'last_read_sk', 'unread_count', 'unread_owner_uuid', 'rev'])), { maxLength: 3 })
    )
    const range = fc.oneof(garbage, shaped(['after', 'through', 'messages']))
    const view = fc.oneof(garbage, fc.record({ rows, latestSk: garbage, applied: fc.oneof(garbage, fc.array(garbage, { maxLength: 3 })), range }, { requiredKeys: [] }))
    const isPlan = (plan: { kind?: unknown; bounds?: unknown; updates?: unknown }) =>
      (plan.kind === 'read' && typeof plan.bounds === 'object') || (plan.kind === 'write' && Array.isArray(plan.updates))
    // The planner takes Pattern D's own views (rows as stored, the message applied): garbage is a MessagingError or a plan.
    await saneOrMessagingError(view, (v) => planInboxUpdate(v as never), isPlan)
    await saneOrMessagingError(garbage, (record) => readStreamMessage(record as never), (read) => typeof read.ok === 'boolean')
    await saneOrMessagingError(fc.tuple(garbage, rows, range), ([record, r, g]) => applyStreamRecord(record as never, r as never, g as never), (outcome) => ['read', 'write', 'skip'].includes(outcome.kind))
  })
})

describe('dynamo-messaging: the messaging client against the table (nothing written on a throw)', () => {
  const page = { limit: garbage, cursor: garbage }

  it('listMessages, listMessageGroups and getParticipants', async () => {
    await saneOrMessagingError(shaped(['messageGroupUuid', 'viewerUuid', ...Object.keys(page)]), (input) => messaging.listMessages(input as never), isPage, { table: true })
    await saneOrMessagingError(shaped(['userUuid', ...Object.keys(page)]), (input) => messaging.listMessageGroups(input as never), isPage, { table: true })
    await saneOrMessagingError(garbage, (uuid) => messaging.getParticipants(uuid as never), (found) => found === undefined || Array.isArray(found), { table: true })
  })

  it('createMessage, createMessageGroup and updateMessageGroups', async () => {
    const sane = (message: { sortKey?: unknown }) => isMessageSortKey(message.sortKey)
    const reply = fc.oneof(garbage, fc.record({ messageGroupUuid: garbage, sender: participant, message: garbage }, { requiredKeys: [] }))
    await saneOrMessagingError(reply, (input) => messaging.createMessage(input as never), sane, { table: true })
    const start = fc.oneof(garbage, fc.record({ sender: participant, recipient: participant, message: garbage }, { requiredKeys: [] }))
    await saneOrMessagingError(start, (input) => messaging.createMessageGroup(input as never), (result) => UUID.test(result.messageGroupUuid), { table: true })
    const latest = fc.oneof(garbage, fc.record({ messageGroupUuid: garbage, sortKey: garbage, message: garbage }, { requiredKeys: [] }))
    await saneOrMessagingError(
      fc.tuple(latest, shaped(['maxAttempts', 'baseDelayMs'])),
      ([l, options]) => messaging.updateMessageGroups(l as never, options as never),
      (result) => Number.isInteger(result.updated) && Array.isArray(result.owners) && Array.isArray(result.missing),
      { table: true }
    )
  })

  it('markRead and countUnread', async () => {
    const input = shaped(['messageGroupUuid', 'userUuid', 'upTo'])
    await saneOrMessagingError(input, (i) => messaging.markRead(i as never), (result) => Number.isInteger(result.unreadCount) && typeof result.changed === 'boolean', { table: true })
    const participantInput = fc.record({ messageGroupUuid: fc.constant(messageGroupUuid), userUuid: fc.constantFrom(alice.uuid, bob.uuid.toUpperCase()), upTo: garbage }, { requiredKeys: [] })
    await saneOrMessagingError(participantInput, (i) => messaging.markRead(i as never), (result) => Number.isInteger(result.unreadCount), { table: true })
    await saneOrMessagingError(shaped(['userUuid']), (i) => messaging.countUnread(i as never), (totals) => Number.isInteger(totals.conversations) && Number.isInteger(totals.messages), { table: true })
  })

  it('a stream handler given garbage events', async () => {
    const handler = createStreamHandler({ client, tableName })
    const events = fc.oneof(garbage, fc.record({ Records: fc.oneof(garbage, fc.array(garbage, { maxLength: 4 })) }))
    await saneOrMessagingError(events, (event) => handler(event as never), (response) => Array.isArray(response.batchItemFailures), { table: true })
  })
})

describe('dynamo-messaging/local', () => {
  it('localDynamoDbClient', async () => {
    const made: DynamoDBClient[] = []
    await saneOrMessagingError(fc.tuple(garbage, garbage), ([endpoint, config]) => made[made.push(localDynamoDbClient(endpoint as never, config as never)) - 1], (c) => c instanceof DynamoDBClient)
    for (const c of made) c.destroy()
  })

  it('seedSampleConversations, startLocalStreamWorker and startDynamoDbLocal check before they write or start anything', async () => {
    const seedOptions = fc.oneof(garbage, fc.record({ client: fc.oneof(garbage, fc.constant(client)), tableName: fc.constant(tableName), now: garbage }, { requiredKeys: ['tableName'] }))
    await saneOrMessagingError(seedOptions, (options) => seedSampleConversations(options as never), Array.isArray, { table: true, numRuns: 30 })

    const workerOptions = fc.record(
      { client: fc.oneof(garbage, fc.constant(client)), tableName: fc.constant(tableName), pollIntervalMs: garbage, startingPosition: garbage, handler: garbage, onError: garbage, onApplied: garbage },
      { requiredKeys: ['tableName'] }
    )
    await saneOrMessagingError(
      workerOptions,
      async (options) => {
        const worker = await startLocalStreamWorker(options as never)
        await worker.stop()
        return worker
      },
      (worker) => typeof worker.drain === 'function',
      { numRuns: 30 }
    )

    // Only options that must be refused: a valid set would start a Java process per run.
    const notAPort = fc.oneof(garbage, fc.integer({ min: 65_536 })).filter((value) => value !== undefined && !(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65_535))
    await fc.assert(
      fc.asyncProperty(notAPort, async (port) => {
        await expect(startDynamoDbLocal({ port } as never)).rejects.toBeInstanceOf(ValidationError)
      }),
      { numRuns: 60 }
    )
  })
})

describe('dynamo-messaging/admin', () => {
  // The real client and table, every other option garbage: either refused before anything is read or written, or a
  // run on this table (whose only conversation is already in order, so a run writes nothing either).
  const maintenance = (extra: Record<string, fc.Arbitrary<unknown>>) =>
    fc.oneof(
      garbage,
      fc.record(
        {
          client: fc.constant(client),
          tableName: fc.constant(tableName),
          dryRun: garbage,
          concurrency: garbage,
          pageSize: garbage,
          retry: shaped(['maxRetries', 'baseDelayMs']),
          onProgress: garbage,
          ...extra
        },
        { requiredKeys: ['client', 'tableName'] }
      )
    )
  const result = (value: { conversations?: unknown; failed?: unknown }) => typeof value.conversations === 'number' && Array.isArray(value.failed)

  it('adoptTable and repairTable check every option before touching the table', async () => {
    await saneOrMessagingError(maintenance({ waitTimeoutMs: garbage, pollIntervalMs: garbage }), (options) => adoptTable(options as never), result, {
      table: true,
      numRuns: 25
    })
    const scope = fc.oneof(garbage, shaped(['messageGroupUuid']), shaped(['userUuid']), fc.constant('all'))
    await saneOrMessagingError(maintenance({ scope }), (options) => repairTable(options as never), result, { table: true, numRuns: 25 })
  })

  it('planTableChanges takes any description and definition: a plan, or a ValidationError', async () => {
    const described = fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('TableName', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'StreamSpecification', 'TableStatus'), fc.anything()))
    await saneOrMessagingError(
      fc.tuple(described, fc.oneof(described, fc.constant(tableDefinition()))),
      ([table, definition]) => planTableChanges(table as never, definition as never),
      (changes) => Array.isArray(changes.problems) && typeof changes.enableStream === 'boolean',
      { numRuns: 300 }
    )
  })
})

describe('getParticipants takes any case, like the other functions (regression)', () => {
  it('finds the conversation by an upper-case uuid', async () => {
    const lower = await messaging.getParticipants(messageGroupUuid)
    expect(lower?.map((p) => p.uuid).sort()).toEqual([alice.uuid, bob.uuid].sort())
    expect(await messaging.getParticipants(messageGroupUuid.toUpperCase())).toEqual(lower)
  })

  it('answers ValidationError, not a toolbox error, for undefined or a non-uuid', async () => {
    for (const bad of [undefined, null, 42, 'nope', '']) {
      await expect(messaging.getParticipants(bad as never)).rejects.toBeInstanceOf(ValidationError)
    }
  })

  it('a clock before 1970 is a ValidationError, not the ULID factory\'s TypeError, and nothing is written', async () => {
    // A fresh table: the fuzzing above may have seeded the sample conversations, which a second seed skips.
    const empty = await createTestTable(client, 'garbage-clock')
    try {
      const early = createMessaging({ client, tableName: empty, now: () => new Date('1969-12-31T23:59:59.999Z') })
      await expect(early.createMessageGroup({ sender: user('carol'), recipient: user('dave'), message: 'hi' })).rejects.toBeInstanceOf(ValidationError)
      await expect(seedSampleConversations({ client, tableName: empty, now: new Date('1970-01-02T00:00:00.000Z') })).rejects.toBeInstanceOf(ValidationError)
      expect(await scanAll(client, empty)).toEqual([])
    } finally {
      await dropTestTable(client, empty)
    }
  })

  it('key builders refuse a non-string instead of building MSG#undefined', () => {
    expect(() => messagePk(undefined as never)).toThrow(ValidationError)
    expect(() => messageGroupPk(42 as never)).toThrow(ValidationError)
    expect(messagePk(messageGroupUuid.toUpperCase())).toBe(`MSG#${messageGroupUuid}`)
    expect(() => messageSk(new Date(Number.NaN), '01JZZZZZZZZZZZZZZZZZZZZZZZ')).toThrow(ValidationError)
    expect(() => messageGroupUuidFor(undefined as never, alice.uuid)).toThrow(ValidationError)
  })
})
