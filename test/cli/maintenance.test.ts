// `dynamo-messaging adopt` and `repair` as a user runs them: the built CLI as a child process, on bootcamp tables.
import { spawn, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { describe, expect, inject, it } from 'vitest'
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import type { BootcampTable } from '../support/bootcampTable.js'
import { bootcampTables } from '../support/bootcampTables.js'
import { snapshot, violations } from '../support/invariants.js'
import { awsEnv, awsTrap, CLI, cleanEnv, on, oneErrorLine, runCli } from './runCli.js'

const { client, bootcamp, track } = bootcampTables('cli')

const state = (table: BootcampTable) => snapshot(client, table.tableName)

describe('adopt', () => {
  it('--dry-run writes nothing and prints what it would do; adopt then does it; --json prints the result', async () => {
    const table = await bootcamp('adopt')
    const before = await state(table)
    const dry = await runCli(['adopt', '--dry-run', ...on(table.tableName)])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`dry run, nothing written: adopting table ${table.tableName} at ${inject('dynamodbEndpoint')} would do this`)
    expect(dry.stdout).toContain('members items  8 would be written')
    expect(dry.stderr).toMatch(/^consumed capacity: [\d.]+ RCU\n$/)
    expect(await state(table)).toEqual(before)

    const real = await runCli(['adopt', ...on(table.tableName)])
    expect(real.stderr).toMatch(/^consumed capacity: [\d.]+ RCU, [\d.]+ WCU\n$/)
    expect(real.code).toBe(0)
    expect(real.stdout).toContain(`adopted table ${table.tableName}`)
    expect(real.stdout).toMatch(/stream {9}turned on \(NEW_IMAGE\): arn:aws:dynamodb:/)
    expect(real.stdout).toContain('rows           3 moved to the newest message, 1 duplicate removed, 3 lost rows rebuilt')
    expect(violations(await state(table), table.conversations, { members: true })).toEqual([])

    const again = await runCli(['adopt', '--json', ...on(table.tableName)])
    expect(again.code).toBe(0)
    const result = JSON.parse(again.stdout)
    expect(result).toMatchObject({
      dryRun: false,
      conversations: 8,
      rows: { moved: 0, removed: 0, recreated: 0, corrected: 0 },
      membersWritten: 0,
      pairs: { linked: 0, alreadyLinked: 7 },
      table: { streamEnabled: false, indexesCreated: [] },
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
    // Killed as soon as a few members items are there: some conversations adopted, most not.
    for (;;) {
      const members = (await state(table)).filter((item) => item.sk === '#MEMBERS').length
      if (members >= 3 || child.exitCode !== null) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    const half = await state(table)
    expect(half.filter((item) => item.sk === '#MEMBERS').length).toBeLessThan(table.conversations.length)

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
  it('--conversation, --user (by handle) and --all, each printing what it did', async () => {
    const table = await bootcamp('repair')
    const behind = table.conversations.find((c) => c.damage === 'behind')!
    const one = await runCli(['repair', '--conversation', behind.messageGroupUuid, ...on(table.tableName)])
    expect(one.code).toBe(0)
    expect(one.stdout).toContain(`repaired conversation ${behind.messageGroupUuid} in table ${table.tableName}`)
    expect(one.stdout).toContain('rows           1 moved to the newest message, 0 duplicates removed, 0 lost rows rebuilt')
    expect(violations(await state(table), [behind], { members: false })).toEqual([])

    // Garibaldi's row of the conversation he lost is found through Delenn's row, which names his handle.
    const lost = table.conversations.find((c) => c.damage === 'lost')!
    const user = await runCli(['repair', '--user', 'garibaldi', '--json', ...on(table.tableName)])
    expect(user.code).toBe(0)
    expect(JSON.parse(user.stdout).rows.recreated).toBe(1)
    expect(violations(await state(table), [lost], { members: false })).toEqual([])

    const all = await runCli(['repair', '--all', ...on(table.tableName)])
    expect(all.code).toBe(0)
    expect(violations(await state(table), table.conversations, { members: false })).toEqual([])
    const again = await runCli(['repair', '--all', '--json', ...on(table.tableName)])
    expect(JSON.parse(again.stdout).rows).toEqual({ moved: 0, removed: 0, recreated: 0, corrected: 0 })
  })

  it('--conversation with an id the table holds nothing of says so, exits 1 and writes nothing', async () => {
    const table = await bootcamp('absent')
    const before = await state(table)
    const absent = randomUUID()
    for (const extra of [[], ['--dry-run'], ['--json']]) {
      const result = await runCli(['repair', '--conversation', absent, ...extra, ...on(table.tableName)])
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(oneErrorLine(result)).toBe(
        `error: conversation ${absent} is not in table "${table.tableName}" at ${inject('dynamodbEndpoint')} ` +
          '(no message, members item or conversation row): nothing to repair'
      )
    }
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
    expect(violations(await state(table), table.conversations, { members: true })).toEqual([])
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
    expect(violations(await state(table), table.conversations, { members: true })).toEqual([])
  })
})
