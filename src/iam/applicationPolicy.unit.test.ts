import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/ValidationError.js'
import { applicationPolicy, MESSAGING_OPERATIONS } from './applicationPolicy.js'

const tableArn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/cruddur-messages'

const rejection = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return (error as ValidationError).issues.map((issue) => `${issue.path}:${issue.code}`)
  }
  throw new Error('expected a ValidationError')
}

describe('applicationPolicy', () => {
  it('allows, for every operation, exactly the actions the library sends, on the table and the two indexes it reads', () => {
    expect(applicationPolicy({ tableArn })).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'MessagingTable',
          Effect: 'Allow',
          Action: [
            'dynamodb:BatchGetItem',
            'dynamodb:ConditionCheckItem',
            'dynamodb:DeleteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem'
          ],
          Resource: tableArn
        },
        { Sid: 'MessagingInboxIndex', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: `${tableArn}/index/inbox-index` },
        { Sid: 'MessagingUnreadIndex', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: `${tableArn}/index/unread-index` }
      ]
    })
  })

  it('has no wildcard action and nothing that scans or manages the table; only group membership changes delete', () => {
    const actions = applicationPolicy({ tableArn }).Statement.flatMap((statement) => statement.Action)
    for (const action of actions) expect(action).toMatch(/^dynamodb:[A-Za-z]+$/)
    for (const action of ['Scan', 'BatchWriteItem', 'DeleteTable', 'UpdateTable', 'CreateTable']) {
      expect(actions).not.toContain(`dynamodb:${action}`)
    }
    const direct = MESSAGING_OPERATIONS.filter((operation) => operation !== 'removeMember')
    const withoutRemoval = applicationPolicy({ tableArn, operations: direct }).Statement.flatMap((statement) => statement.Action)
    expect(withoutRemoval).not.toContain('dynamodb:DeleteItem')
  })

  it('grants a read-only application no write, and only the indexes its operations read', () => {
    const policy = applicationPolicy({ tableArn, operations: ['listMessageGroups', 'countUnread'] })
    expect(policy.Statement).toEqual([
      { Sid: 'MessagingTable', Effect: 'Allow', Action: ['dynamodb:BatchGetItem'], Resource: tableArn },
      { Sid: 'MessagingInboxIndex', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: `${tableArn}/index/inbox-index` },
      { Sid: 'MessagingUnreadIndex', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: `${tableArn}/index/unread-index` }
    ])
    expect(applicationPolicy({ tableArn, operations: ['listMessageGroups'] }).Statement).toHaveLength(1)
  })

  it('is the same whatever the order of the operations', () => {
    const reversed = [...MESSAGING_OPERATIONS].reverse()
    expect(applicationPolicy({ tableArn, operations: reversed })).toEqual(applicationPolicy({ tableArn }))
  })

  it('accepts other partitions and CDK tokens (a new table, or fromTableName)', () => {
    expect(() => applicationPolicy({ tableArn: 'arn:aws-cn:dynamodb:cn-north-1:123456789012:table/chat' })).not.toThrow()
    const token = '${Token[TOKEN.612]}'
    expect(applicationPolicy({ tableArn: token }).Statement[1]!.Resource).toBe(`${token}/index/inbox-index`)
    const joined = 'arn:${Token[AWS.Partition.7]}:dynamodb:${Token[AWS.Region.11]}:${Token[AWS.AccountId.3]}:table/cruddur-messages'
    expect(applicationPolicy({ tableArn: joined }).Statement[0]!.Resource).toBe(joined)
  })

  it('rejects what is not a table ARN, wildcards, and unknown operations, with every problem at once', () => {
    for (const bad of [
      'cruddur-messages',
      'arn:aws:dynamodb:us-east-1:123456789012:table/*',
      'arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages/index/inbox-index',
      'arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages/stream/2026-01-01T00:00:00.000',
      'arn:aws:s3:::cruddur-messages',
      '${Token[TOKEN.1]}${Token[TOKEN.2]}',
      ''
    ]) {
      expect(rejection(() => applicationPolicy({ tableArn: bad })), bad).toEqual(['tableArn:table_arn_invalid'])
    }
    expect(rejection(() => applicationPolicy({ tableArn, operations: ['listMessages', 'deleteEverything' as never] }))).toEqual([
      'operations.1:operation_unknown'
    ])
    expect(rejection(() => applicationPolicy({ tableArn: 'x', operations: [] }))).toEqual([
      'tableArn:table_arn_invalid',
      'operations:operations_invalid'
    ])
    expect(rejection(() => applicationPolicy(undefined as never))).toContain('tableArn:table_arn_invalid')
  })
})
