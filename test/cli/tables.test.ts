import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { engineClient } from '../support/engine.js'
import { awsEnv, awsTrap, CLI, cleanEnv, on, oneErrorLine, runCli, uniqueTableName } from './runCli.js'

const client: DynamoDBClient = engineClient()
afterAll(() => client.destroy())

const tableExists = (tableName: string): Promise<boolean> =>
  client.send(new DescribeTableCommand({ TableName: tableName })).then(
    () => true,
    (error: Error) => (error.name === 'ResourceNotFoundException' ? false : Promise.reject(error))
  )

describe('schema-load', () => {
  const tableName = uniqueTableName('schema')

  it('creates the table from tableDefinition(): keys, the GSIs, the NEW_IMAGE stream, provisioned 5/5, ACTIVE', async () => {
    const result = await runCli(['schema-load', ...on(tableName)])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`created table ${tableName}`)
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    expect(Table?.TableStatus).toBe('ACTIVE')
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' }
    ])
    expect(Table?.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: 'inbox-index',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'last_sk', KeyType: 'RANGE' }
        ],
        Projection: { ProjectionType: 'ALL' }
      }),
      expect.objectContaining({
        IndexName: 'unread-index',
        KeySchema: [
          { AttributeName: 'unread_owner_uuid', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' }
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' }
      })
    ])
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' })
    expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 })
  })

  it('refuses an existing table with one error line and leaves it as it was', async () => {
    const result = await runCli(['schema-load', '--on-demand', ...on(tableName)])
    expect(result.code).toBe(1)
    expect(oneErrorLine(result)).toMatch(new RegExp(`table "${tableName}" already exists`))
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5 })
  })

  it('--on-demand creates a pay-per-request table', async () => {
    const onDemand = uniqueTableName('ondemand')
    const result = await runCli(['schema-load', '--on-demand', ...on(onDemand)])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('on-demand')
    const { Table } = await client.send(new DescribeTableCommand({ TableName: onDemand }))
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST')
    expect((await runCli(['drop', ...on(onDemand)])).code).toBe(0)
  })

  it('list-tables prints every table name, one a line, or as JSON', async () => {
    const text = await runCli(['list-tables', ...on(tableName)])
    expect(text.code).toBe(0)
    expect(text.stdout.split('\n')).toContain(tableName)
    // Other test files create and drop tables in the same engine meanwhile: check ours, and the count line.
    const json = await runCli(['list-tables', '--json', ...on(tableName)])
    const names = JSON.parse(json.stdout) as string[]
    expect(names).toContain(tableName)
    expect(names.every((name) => typeof name === 'string')).toBe(true)
    expect(json.stderr).toBe(`${names.length} ${names.length === 1 ? 'table' : 'tables'} at ${inject('dynamodbEndpoint')}\n`)
  })

  it('drop deletes a local table without asking, and a second drop says it is not there', async () => {
    const result = await runCli(['drop', ...on(tableName)])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`dropped table ${tableName}`)
    expect(await tableExists(tableName)).toBe(false)
    const again = await runCli(['drop', ...on(tableName)])
    expect(again.code).toBe(1)
    expect(oneErrorLine(again)).toContain(`table "${tableName}" not found`)
  })
})

describe('drop --prod', () => {
  it('refuses without --yes when there is no terminal to ask on, before contacting AWS', async () => {
    const aws = await awsTrap()
    try {
      const result = await runCli(['drop', '--prod', '--table', 'cruddur-messages'], { env: awsEnv(aws.url) })
      expect(result.code).toBe(1)
      expect(oneErrorLine(result)).toMatch(/refusing to drop table "cruddur-messages" in AWS region us-east-1.*--yes/)
      expect(aws.requests()).toBe(0)
    } finally {
      await aws.close()
    }
  })

  it('with --yes goes through the normal AWS configuration (here: the standard endpoint variable) and drops', async () => {
    const tableName = uniqueTableName('prod')
    expect((await runCli(['schema-load', '--on-demand', ...on(tableName)])).code).toBe(0)
    const result = await runCli(['drop', '--prod', '--yes', '--table', tableName], { env: awsEnv(inject('dynamodbEndpoint')) })
    // DynamoDB Local's table ARNs name account 000000000000.
    expect(result.stderr).toBe(`AWS account 000000000000, region us-east-1, table ${tableName}\n`)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`dropped table ${tableName} at AWS region us-east-1`)
    expect(await tableExists(tableName)).toBe(false)
  })

  // `script` gives the CLI a pseudo-terminal, so the confirmation prompt is really shown and answered.
  const hasScript = spawnSync('script', ['--version']).status === 0
  it.skipIf(!hasScript)('on a terminal, drops only after the table name is typed', async () => {
    const tableName = uniqueTableName('confirm')
    expect((await runCli(['schema-load', '--on-demand', ...on(tableName)])).code).toBe(0)
    const env = cleanEnv(awsEnv(inject('dynamodbEndpoint')))
    const command = `"${process.execPath}" "${CLI}" drop --prod --table ${tableName}`
    const inTerminal = (answer: string) =>
      spawnSync('script', ['-qec', command, '/dev/null'], { input: `${answer}\n`, env, encoding: 'utf8', timeout: 30_000 })

    const wrong = inTerminal('not-the-name')
    expect(wrong.stdout).toContain('Type the table name to confirm')
    expect(wrong.stdout).toContain('error: not confirmed; nothing was deleted')
    expect(wrong.status).toBe(1)
    expect(await tableExists(tableName)).toBe(true)

    const right = inTerminal(tableName)
    expect(right.stdout).toContain(`dropped table ${tableName}`)
    expect(right.status).toBe(0)
    expect(await tableExists(tableName)).toBe(false)
  })
})
