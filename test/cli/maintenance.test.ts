// `dynamo-messaging adopt` and `repair` as a user runs them: the built CLI as a child process, on bootcamp tables.
import { spawn, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { describe, expect, inject, it } from 'vitest'
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { adoptTable } from '../../src/admin/index.js'
import type { BootcampTable } from '../support/bootcampTable.js'
import { bootcampTables } from '../support/bootcampTables.js'
import { bootcampModel, layoutViolations, snapshot } from '../support/invariants.js'
import { awsEnv, awsTrap, CLI, cleanEnv, on, oneErrorLine, runCli } from './runCli.js'

const { client, bootcamp, track } = bootcampTables('cli')
const doc = DynamoDBDocumentClient.from(client)

const state = (table: BootcampTable) => snapshot(client, table.tableName)
const migrated = async (table: BootcampTable) => layoutViolations(await state(table), table.conversations.map(bootcampModel))

describe('adopt', () => {
  it('--dry-run writes nothing and prints what it would do; adopt then does it; --json prints the result', async () => {
    const table = await bootcamp('adopt')
    const before = await state(table)
    const dry = await runCli(['adopt', '--dry-run', ...on(table.tableName)])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`dry run, nothing written: adopting table ${table.tableName} at ${inject('dynamodbEndpoint')} would do this`)
    expect(dry.stdout).toContain('conversations  8 in the table, 8 would be migrated')
    expect(dry.stdout).toContain('written        8 conversation items, 16 membership items, 16 rows would be written')
    expect(dry.stderr).toMatch(/^consumed capacity: [\d.]+ RCU\n$/)
    expect(await state(table)).toEqual(before)

    const real = await runCli(['adopt', ...on(table.tableName)])
    expect(real.stderr).toMatch(/^consumed capacity: [\d.]+ RCU, [\d.]+ WCU\n$/)
    expect(real.code).toBe(0)
    expect(real.stdout).toContain(`adopted table ${table.tableName}`)
    expect(real.stdout).toMatch(/stream {9}turned on \(NEW_IMAGE\): arn:aws:dynamodb:/)
    expect(real.stdout).toContain('indexes        inbox-index, unread-index created')
    expect(real.stdout).toContain('deleted        14 old rows, 0 #MEMBERS items')
    expect(real.stdout).toContain('pair links     7 written, 0 moved from #MEMBERS, 0 already there; 1 pair had several conversations, linked to the newest')
    expect(real.stdout).toContain(
      `index message-group-sk-index is not used by the library (new rows never appear in it). Once nothing of the old layout runs, delete it:\n` +
        `  aws dynamodb update-table --table-name ${table.tableName} --global-secondary-index-updates '[{"Delete":{"IndexName":"message-group-sk-index"}}]'`
    )
    expect(await migrated(table)).toEqual([])

    const again = await runCli(['adopt', '--json', ...on(table.tableName)])
    expect(again.code).toBe(0)
    const result = JSON.parse(again.stdout)
    expect(result).toMatchObject({
      dryRun: false,
      conversations: 8,
      migrated: 0,
      written: { conversations: 0, memberships: 0, rows: 0 },
      pairs: { linked: 0, alreadyLinked: 7 },
      table: { streamEnabled: false, indexesCreated: [], unusedIndexes: ['message-group-sk-index'] },
      failed: []
    })
    expect(result.capacity.readUnits).toBeGreaterThan(0)
    expect(result.capacity.writeUnits).toBe(0)
  })

  it('killed mid-run and run again, ends as an uninterrupted run', async () => {
    const reference = await bootcamp('kill-ref', { seed: 21, extraConversations: 30 })
    expect((await runCli(['adopt', ...on(reference.tableName)])).code).toBe(0)
    const table = await bootcamp('kill', { seed: 21, extraConversations: 30 })
    const child = spawn(process.execPath, [CLI, 'adopt', '--concurrency', '1', ...on(table.tableName)], { env: cleanEnv(), stdio: 'ignore' })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    // Killed as soon as a few conversations are migrated: some in the new layout, most not.
    for (;;) {
      const done = (await state(table)).filter((item) => item.sk === '#CONVERSATION' && item.kind === 'direct').length
      if (done >= 3 || child.exitCode !== null) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    const half = await state(table)
    expect(half.filter((item) => item.sk === '#CONVERSATION' && item.kind === 'direct').length).toBeLessThan(table.conversations.length)

    expect((await runCli(['adopt', ...on(table.tableName)])).code).toBe(0)
    expect(await state(table)).toEqual(await state(reference))
  })

  it('names what is wrong with a table it cannot adopt, in one line', async () => {
    const tableName = `cli-plain-${randomUUID().slice(0, 8)}`
    track(tableName)
    // A table whose key is not the layout's: nothing to adopt.
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST'
      })
    )
    const result = await runCli(['adopt', ...on(tableName)])
    expect(result.code).toBe(1)
    expect(oneErrorLine(result)).toMatch(
      new RegExp(`^error: table ${tableName} cannot be adopted as it is: table ${tableName} has the key id \\(HASH, S\\); the library needs pk \\(HASH, S\\), sk \\(RANGE, S\\)`)
    )
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    expect(Table?.StreamSpecification?.StreamEnabled).not.toBe(true)
  })
})

describe('repair', () => {
  it('--conversation, --user (by handle) and --all on an adopted table, each printing what it did', async () => {
    const table = await bootcamp('repair')
    await adoptTable({ client, tableName: table.tableName, retry: { baseDelayMs: 1 } })
    const healthy = await state(table)
    const behind = table.conversations.find((c) => c.damage === 'behind')!
    const [sheridan] = behind.participants
    // Other code moves Sheridan's row back to the first message, and deletes one of Garibaldi's.
    await doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: `GRP#${sheridan.uuid}`, sk: `MSG#${behind.messageGroupUuid}` },
        UpdateExpression: 'SET last_sk = :sk, message = :text',
        ExpressionAttributeValues: { ':sk': behind.messages[0]!.sk, ':text': behind.messages[0]!.text }
      })
    )
    const lost = table.conversations.find((c) => c.damage === 'lost')!
    const garibaldi = lost.participants.find((p) => p.handle === 'garibaldi')!
    await doc.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: `GRP#${garibaldi.uuid}`, sk: `MSG#${lost.messageGroupUuid}` } }))

    const one = await runCli(['repair', '--conversation', behind.messageGroupUuid, ...on(table.tableName)])
    expect(one.code).toBe(0)
    expect(one.stdout).toContain(`repaired conversation ${behind.messageGroupUuid} in table ${table.tableName}`)
    expect(one.stdout).toContain('rows           1 moved to the newest message, 0 corrected in place, 0 rebuilt, 0 rows of non-members deleted')

    // Garibaldi's deleted row is found through Delenn's row, which names him (the handle is found the same way).
    const user = await runCli(['repair', '--user', 'garibaldi', '--json', ...on(table.tableName)])
    expect(user.code).toBe(0)
    expect(JSON.parse(user.stdout).rows).toEqual({ moved: 0, corrected: 0, recreated: 1, removed: 0 })
    const rows = (await state(table)).filter((item) => String(item.pk).startsWith('GRP#'))
    expect(rows.map(({ rev: _r, last_read_sk: _m, unread_count: _c, unread_owner_uuid: _o, ...row }) => row)).toEqual(
      healthy.filter((item) => String(item.pk).startsWith('GRP#')).map(({ rev: _r, last_read_sk: _m, unread_count: _c, unread_owner_uuid: _o, ...row }) => row)
    )

    const all = await runCli(['repair', '--all', '--json', ...on(table.tableName)])
    expect(all.code).toBe(0)
    expect(JSON.parse(all.stdout).rows).toEqual({ moved: 0, corrected: 0, recreated: 0, removed: 0 })
  })

  it('--conversation with an id the table holds nothing of says so, exits 1 and writes nothing', async () => {
    const table = await bootcamp('absent')
    await adoptTable({ client, tableName: table.tableName, retry: { baseDelayMs: 1 } })
    const before = await state(table)
    const absent = randomUUID()
    for (const extra of [[], ['--dry-run'], ['--json']]) {
      const result = await runCli(['repair', '--conversation', absent, ...extra, ...on(table.tableName)])
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(oneErrorLine(result)).toBe(
        `error: conversation ${absent} is not in table "${table.tableName}" at ${inject('dynamodbEndpoint')} ` +
          '(no message, conversation item or membership item): nothing to repair'
      )
    }
    expect(await state(table)).toEqual(before)
  })

  it('on a table not adopted yet, names adopt and writes nothing', async () => {
    const table = await bootcamp('repair-old')
    const before = await state(table)
    const result = await runCli(['repair', '--all', ...on(table.tableName)])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('8 conversations with messages but no membership items: this table is not adopted yet, run dynamo-messaging adopt:')
    expect(await state(table)).toEqual(before)
  })

  it('wants exactly one of --conversation, --user or --all', async () => {
    for (const args of [[], ['--all', '--user', 'ada']]) {
      const result = await runCli(['repair', ...args, ...on('cruddur-messages')])
      expect(result.code).toBe(1)
      expect(oneErrorLine(result)).toBe('error: choose one of --conversation <uuid>, --user <user> or --all')
    }
  })
})

describe('--prod', () => {
  it.each([['adopt'], ['repair', '--all']])('%s refuses without --yes when there is no terminal to ask on, before contacting AWS', async (...args) => {
    const aws = await awsTrap()
    try {
      const result = await runCli([...args, '--prod', '--table', 'cruddur-messages'], { env: awsEnv(aws.url) })
      expect(result.code).toBe(1)
      expect(oneErrorLine(result)).toMatch(new RegExp(`refusing to ${args[0]} table "cruddur-messages" in AWS region us-east-1 .*pass --yes`))
      expect(aws.requests()).toBe(0)
    } finally {
      await aws.close()
    }
  })

  it('--dry-run does not ask (it writes nothing), and --yes goes ahead', async () => {
    const table = await bootcamp('prod')
    const env = awsEnv(inject('dynamodbEndpoint'))
    const before = await state(table)
    const dry = await runCli(['adopt', '--prod', '--dry-run', '--table', table.tableName], { env })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`adopting table ${table.tableName} at AWS region us-east-1 would do this`)
    expect(await state(table)).toEqual(before)
    const yes = await runCli(['adopt', '--prod', '--yes', '--table', table.tableName], { env })
    expect(yes.code).toBe(0)
    expect(await migrated(table)).toEqual([])
  })

  // `script` gives the CLI a pseudo-terminal: the question is really asked and answered, and the progress bar shows.
  const hasScript = spawnSync('script', ['--version']).status === 0
  it.skipIf(!hasScript)('on a terminal, asks for the table name before writing, and shows a progress bar', async () => {
    const table = await bootcamp('confirm')
    const before = await state(table)
    const env = cleanEnv(awsEnv(inject('dynamodbEndpoint')))
    const command = `"${process.execPath}" "${CLI}" adopt --prod --table ${table.tableName}`
    const inTerminal = (answer: string) =>
      spawnSync('script', ['-qec', command, '/dev/null'], { input: `${answer}\n`, env, encoding: 'utf8', timeout: 60_000 })

    const wrong = inTerminal('not-the-name')
    expect(wrong.stdout).toContain(`This adopts table "${table.tableName}" in AWS region us-east-1`)
    expect(wrong.stdout).toContain('Type the table name to confirm')
    expect(wrong.stdout).toContain('error: not confirmed; nothing was written')
    expect(wrong.status).toBe(1)
    expect(await state(table)).toEqual(before)

    const right = inTerminal(table.tableName)
    expect(right.status).toBe(0)
    expect(right.stdout).toMatch(/conversations\s+\[[█░]+\] 8\/8/)
    expect(right.stdout).toContain(`adopted table ${table.tableName}`)
    expect(await migrated(table)).toEqual([])
  })
})
