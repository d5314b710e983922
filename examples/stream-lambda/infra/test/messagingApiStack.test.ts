import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { afterAll, describe, expect, it } from 'vitest'
import { MessagingApiStack, type MessagingApiStackProps } from '../lib/messagingApiStack.js'

type Json = Record<string, any>
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])
const cognito = { userPoolId: 'us-east-1_Example', clientId: 'exampleclientid' }
const existingTable = {
  tableName: 'cruddur-messages',
  tableStreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages/stream/2026-01-01T00:00:00.000'
}

// Stand-in bundles so synth works offline, without building the example (made now: describe.each synthesizes while
// the tests are collected).
const bundleDir = mkdtempSync(join(tmpdir(), 'apigw-bundle-'))
mkdirSync(join(bundleDir, 'push'))
writeFileSync(join(bundleDir, 'index.mjs'), 'export const http = async () => ({ statusCode: 200 })\n')
writeFileSync(join(bundleDir, 'push', 'index.mjs'), 'export const handler = async () => ({ batchItemFailures: [] })\n')
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }))

function synth(props: Partial<MessagingApiStackProps> = {}) {
  const app = new App()
  const stack = new MessagingApiStack(app, 'ApiStack', { cognito, bundleDir, env: { account: '123456789012', region: 'us-east-1' }, ...props })
  const template = Template.fromStack(stack)
  const functionId = (handler: string) =>
    Object.entries(template.findResources('AWS::Lambda::Function')).find(([, fn]) => fn.Properties.Handler === handler)![0]
  /** Every statement of the inline policies of a function's role. */
  const statementsOf = (handler: string): Json[] => {
    const fn = template.findResources('AWS::Lambda::Function')[functionId(handler)]!
    const roleId = fn.Properties.Role['Fn::GetAtt'][0]
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => asArray<Json>(policy.Properties.Roles).some((role) => role.Ref === roleId))
      .flatMap((policy) => asArray<Json>(policy.Properties.PolicyDocument.Statement))
  }
  return { stack, template, functionId, statementsOf }
}

const actionsOf = (statements: Json[]) => statements.flatMap((statement) => asArray<string>(statement.Action))

describe.each([
  ['a new table', {}],
  ['an existing table', { existingTable }]
])('with %s', (_label, props) => {
  const { template, statementsOf } = synth(props)
  const handlers = ['index.http', 'index.connect', 'index.disconnect', 'index.handler']

  it('grants no wildcard action to any role', () => {
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      actionsOf(asArray<Json>(policy.Properties.PolicyDocument.Statement))
    )
    expect(actions.length).toBeGreaterThan(0)
    for (const action of actions) expect(action === '*' || action.endsWith(':*') || action.includes('*'), action).toBe(false)
  })

  it("gives the HTTP function exactly applicationPolicy's actions (all but Pattern D), on the table and its two indexes", () => {
    const statements = statementsOf('index.http')
    expect(new Set(actionsOf(statements))).toEqual(
      new Set(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'])
    )
    const resources = JSON.stringify(statements.map((statement) => statement.Resource))
    expect(resources).toContain('/index/inbox-index')
    expect(resources).toContain('/index/unread-index')
    for (const action of ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) expect(actionsOf(statements)).not.toContain(action)
  })

  it('lets $connect only put, $disconnect only find and delete, connections', () => {
    expect(actionsOf(statementsOf('index.connect'))).toEqual(['dynamodb:PutItem'])
    expect(new Set(actionsOf(statementsOf('index.disconnect')))).toEqual(new Set(['dynamodb:Query', 'dynamodb:DeleteItem']))
  })

  it('lets the stream function do Pattern D, read the stream, find and drop connections, and post to them', () => {
    const actions = new Set(actionsOf(statementsOf('index.handler')))
    for (const action of ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:GetRecords', 'execute-api:ManageConnections']) {
      expect(actions, action).toContain(action)
    }
    expect(actions).not.toContain('dynamodb:PutItem')
  })

  it('runs every function on nodejs22.x, arm64', () => {
    for (const handler of handlers) {
      template.hasResourceProperties('AWS::Lambda::Function', { Handler: handler, Runtime: 'nodejs22.x', Architectures: ['arm64'] })
    }
  })

  it('routes the six HTTP routes through the JWT authorizer, and $connect/$disconnect to their functions', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties)
    const http = routes.filter((route) => route.AuthorizationType === 'JWT').map((route) => route.RouteKey)
    expect(new Set(http)).toEqual(
      new Set([
        'GET /conversations',
        'GET /conversations/{messageGroupUuid}/messages',
        'POST /conversations/{messageGroupUuid}/messages',
        'POST /messages',
        'POST /conversations/{messageGroupUuid}/read',
        'GET /unread'
      ])
    )
    expect(routes.map((route) => route.RouteKey)).toEqual(expect.arrayContaining(['$connect', '$disconnect']))
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [cognito.clientId], Issuer: `https://cognito-idp.us-east-1.amazonaws.com/${cognito.userPoolId}` }
    })
  })

  it('keeps connections by user, with the connection-index for $disconnect and a TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'user_uuid', KeyType: 'HASH' },
        { AttributeName: 'connection_id', KeyType: 'RANGE' }
      ],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'connection-index', Projection: { ProjectionType: 'KEYS_ONLY' } })],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true }
    })
  })
})

describe('the messages table', () => {
  it("is created from the library's tableDefinition(): both GSIs, a NEW_IMAGE stream, on demand, retained", () => {
    const { template } = synth()
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        TableName: 'cruddur-messages',
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        GlobalSecondaryIndexes: [
          Match.objectLike({ IndexName: 'inbox-index', Projection: { ProjectionType: 'ALL' } }),
          Match.objectLike({ IndexName: 'unread-index', Projection: { ProjectionType: 'KEYS_ONLY' } })
        ]
      })
    })
  })

  it('is not created when an existing one is given: the functions and the event source use its name and stream', () => {
    const { template, statementsOf } = synth({ existingTable })
    expect(Object.keys(template.findResources('AWS::DynamoDB::Table'))).toHaveLength(1) // the connections table
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: existingTable.tableStreamArn })
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.http',
      Environment: { Variables: Match.objectLike({ TABLE_NAME: 'cruddur-messages' }) }
    })
    const resources = JSON.stringify(statementsOf('index.http').map((statement) => statement.Resource))
    expect(resources).toContain(':table/cruddur-messages')
    expect(resources).toContain(':table/cruddur-messages/index/inbox-index')
  })
})
