import { describe, expect, it } from 'vitest'
import { applicationPolicy } from '../../src/index.js'
import { oneErrorLine, runCli } from './runCli.js'

const tableArn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/cruddur-messages'

describe('iam-policy', () => {
  it("prints applicationPolicy's document for the table, every operation by default", async () => {
    const result = await runCli(['iam-policy', tableArn])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual(applicationPolicy({ tableArn }))
  })

  it('narrows it to --operations', async () => {
    const result = await runCli(['iam-policy', tableArn, '--operations', 'listMessages, countUnread'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(applicationPolicy({ tableArn, operations: ['listMessages', 'countUnread'] }))
  })

  it('refuses a wildcard ARN and an unknown operation in one error line, printing nothing', async () => {
    const result = await runCli(['iam-policy', 'arn:aws:dynamodb:eu-west-1:123456789012:table/*', '--operations', 'dropTable'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(oneErrorLine(result)).toMatch(/^error: tableArn: must be a table ARN .*; operations\.0: must be one of: listMessages, /)
  })

  it('needs the table ARN', async () => {
    const result = await runCli(['iam-policy'])
    expect(result.code).toBe(1)
    expect(oneErrorLine(result)).toMatch(/missing required argument 'table-arn'/)
  })
})
