import { describe, expect, it } from 'vitest'
import {
  createMessaging,
  createMessagingTable,
  createStreamHandler,
  tableDefinition
} from '../../src/index.js'
import { localDynamoDbClient, seedSampleConversations, startDynamoDbLocal, startLocalStreamWorker } from '../../src/local/index.js'
import { testTable, user } from '../support/engine.js'
import { validationCodes, validationCodesWithoutWrites } from '../support/rejections.js'

const { client, tableName } = await testTable('options')
const messaging = createMessaging({ client, tableName })
const unset = Number(process.env.DYNAMO_MESSAGING_TEST_SURELY_UNSET) // NaN, as in a deployment that forgot a variable

const codesOf = validationCodes
const codesWithoutWrites = (run: () => unknown) => validationCodesWithoutWrites(client, tableName, run)

describe('numeric options are checked when given, at creation time', () => {
  it('createStreamHandler({ concurrency: Number(process.env.UNSET) }) is a ValidationError, not a handler that does nothing', async () => {
    expect(await codesOf(() => createStreamHandler({ client, tableName, concurrency: unset }))).toEqual(['concurrency_invalid'])
    for (const concurrency of [0, -1, 1.5, Infinity, 1001, '4' as unknown as number]) {
      expect(await codesOf(() => createStreamHandler({ client, tableName, concurrency }))).toEqual(['concurrency_invalid'])
    }
    expect(await codesOf(() => createStreamHandler({ client, tableName, maxAttempts: unset, baseDelayMs: -1 }))).toEqual([
      'max_attempts_invalid',
      'base_delay_ms_invalid'
    ])
    expect(await codesOf(() => createStreamHandler({ client, tableName, maxAttempts: 0, baseDelayMs: 0.5 }))).toEqual([
      'max_attempts_invalid',
      'base_delay_ms_invalid'
    ])
    // undefined is the documented default; the edges of each range are taken.
    expect(createStreamHandler({ client, tableName, concurrency: undefined, maxAttempts: 20, baseDelayMs: 0 })).toBeTypeOf('function')
    expect(createStreamHandler({ client, tableName, concurrency: 1000, maxAttempts: 1, baseDelayMs: 60_000 })).toBeTypeOf('function')
  })

  it('updateMessageGroups checks maxAttempts and baseDelayMs before reading, and writes nothing', async () => {
    const { message } = await messaging.createMessageGroup({ sender: user('alice'), recipient: user('bob'), message: 'hi' })
    expect(await codesWithoutWrites(() => messaging.updateMessageGroups(message, { maxAttempts: unset }))).toEqual(['max_attempts_invalid'])
    expect(await codesWithoutWrites(() => messaging.updateMessageGroups(message, { baseDelayMs: unset }))).toEqual(['base_delay_ms_invalid'])
    expect(await codesWithoutWrites(() => messaging.updateMessageGroups(message, null as never))).toEqual(['options_missing'])
  })

  it('limit of the list patterns', async () => {
    expect(await codesOf(() => messaging.listMessageGroups({ userUuid: user('x').uuid, limit: unset }))).toEqual(['limit_invalid'])
    expect(await codesOf(() => messaging.listMessages({ messageGroupUuid: user('x').uuid, limit: Infinity }))).toEqual(['limit_invalid'])
  })

  it('startLocalStreamWorker: pollIntervalMs, and the rest, before it reads the stream', async () => {
    expect(await codesOf(() => startLocalStreamWorker({ client, tableName, pollIntervalMs: unset }))).toEqual(['poll_interval_ms_invalid'])
    expect(await codesOf(() => startLocalStreamWorker({ client, tableName, pollIntervalMs: 0 }))).toEqual(['poll_interval_ms_invalid'])
    expect(
      await codesOf(() =>
        startLocalStreamWorker({ client, tableName: 'x', handler: 'h' as never, startingPosition: 'EARLIEST' as never, onError: 1 as never })
      )
    ).toEqual(['table_name_invalid', 'handler_invalid', 'starting_position_invalid', 'on_error_invalid'])
  })

  it('startDynamoDbLocal: port, timeoutMs and dbPath, before any process starts', async () => {
    expect(await codesOf(() => startDynamoDbLocal({ port: unset, timeoutMs: unset }))).toEqual(['port_invalid', 'timeout_ms_invalid'])
    expect(await codesOf(() => startDynamoDbLocal({ port: 70_000, timeoutMs: 0 }))).toEqual(['port_invalid', 'timeout_ms_invalid'])
    expect(await codesOf(() => startDynamoDbLocal({ dbPath: ' ' }))).toEqual(['db_path_invalid'])
    expect(await codesOf(() => startDynamoDbLocal({ dbPath: 7 as never }))).toEqual(['db_path_invalid'])
  })

  it('tableDefinition: capacities, billing and the table name', async () => {
    expect(await codesOf(() => tableDefinition({ readCapacityUnits: unset, writeCapacityUnits: 0 }))).toEqual([
      'read_capacity_units_invalid',
      'write_capacity_units_invalid'
    ])
    expect(await codesOf(() => tableDefinition({ billing: 'ondemand' as never, tableName: 'ab' }))).toEqual(['table_name_invalid', 'billing_invalid'])
    // On demand has no provisioned capacity: one given with it would be silently ignored.
    expect(await codesOf(() => tableDefinition({ billing: 'on-demand', readCapacityUnits: 10 }))).toEqual(['read_capacity_units_invalid'])
    expect(tableDefinition({ readCapacityUnits: 20, writeCapacityUnits: undefined }).ProvisionedThroughput).toEqual({
      ReadCapacityUnits: 20,
      WriteCapacityUnits: 5
    })
  })
})

describe('the other options are checked in the same pass', () => {
  it('createMessaging: client, tableName and the functions', async () => {
    expect(await codesOf(() => createMessaging({ client: undefined as never }))).toEqual(['client_invalid'])
    expect(await codesOf(() => createMessaging({ client: {} as never }))).toEqual(['client_invalid'])
    expect(
      await codesOf(() => createMessaging({ client, tableName: 'has space', now: new Date() as never, newUlid: 'x' as never, onMalformedItem: true as never }))
    ).toEqual(['table_name_invalid', 'now_invalid', 'new_ulid_invalid', 'on_malformed_item_invalid'])
    expect(await codesOf(() => createMessaging(undefined as never))).toEqual(['options_missing', 'client_invalid'])
    // `updateSenderRow: 'false'` from an environment variable must not turn the write on.
    for (const updateSenderRow of ['false', 0, null]) {
      expect(await codesOf(() => createMessaging({ client, updateSenderRow: updateSenderRow as never }))).toEqual(['update_sender_row_invalid'])
    }
  })

  it('createStreamHandler: client, tableName and callbacks', async () => {
    expect(
      await codesOf(() =>
        createStreamHandler({ client: null as never, tableName: '', onSkip: 'log' as never, onError: {} as never, onApplied: 'push' as never })
      )
    ).toEqual(['client_invalid', 'table_name_invalid', 'on_skip_invalid', 'on_error_invalid', 'on_applied_invalid'])
  })

  it('seedSampleConversations: a valid Date for now, and writes nothing otherwise', async () => {
    expect(await codesWithoutWrites(() => seedSampleConversations({ client, tableName, now: new Date(unset) }))).toEqual(['now_invalid'])
    expect(await codesWithoutWrites(() => seedSampleConversations({ client, tableName, now: '2026-01-01' as never }))).toEqual(['now_invalid'])
  })

  it('createMessagingTable and localDynamoDbClient', async () => {
    expect(await codesOf(() => createMessagingTable({ tableName: 'x', documentClient: {} as never }))).toEqual([
      'table_name_invalid',
      'document_client_invalid'
    ])
    expect(await codesOf(() => localDynamoDbClient('localhost:8000'))).toEqual(['endpoint_invalid'])
    expect(await codesOf(() => localDynamoDbClient(undefined as never, null as never))).toEqual(['endpoint_invalid', 'config_missing'])
  })
})
