import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MessagingStack } from '../lib/messagingStack.js'

// What the handler may do to DynamoDB: its own calls, plus the stream reads the event source mapping needs.
const HANDLER_ACTIONS = ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']
const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams'
]

type Json = Record<string, any>
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

let bundleDir: string
let template: Template
let tableId: string
let queueId: string
let roleId: string
let statements: Json[]

beforeAll(() => {
  // A stand-in bundle so synth works offline, without building the example.
  bundleDir = mkdtempSync(join(tmpdir(), 'stream-lambda-bundle-'))
  writeFileSync(join(bundleDir, 'index.mjs'), 'export const handler = async () => ({ batchItemFailures: [] })\n')

  const stack = new MessagingStack(new App(), 'TestStack', { bundleDir })
  template = Template.fromStack(stack)

  const onlyId = (type: string) => {
    const ids = Object.keys(template.findResources(type))
    expect(ids, type).toHaveLength(1)
    return ids[0]!
  }
  tableId = onlyId('AWS::DynamoDB::Table')
  queueId = onlyId('AWS::SQS::Queue')
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]!
  roleId = fn.Properties.Role['Fn::GetAtt'][0]

  // Every statement of every inline policy attached to the function's role.
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    asArray<Json>(policy.Properties.Roles).some((role) => role.Ref === roleId)
  )
  expect(policies.length).toBeGreaterThan(0)
  statements = policies.flatMap((policy) => asArray<Json>(policy.Properties.PolicyDocument.Statement))
})

afterAll(() => rmSync(bundleDir, { recursive: true, force: true }))

const actionsOf = (statement: Json) => asArray<string>(statement.Action)
const allActions = () => statements.flatMap(actionsOf)

describe('table', () => {
  it('has pk/sk string keys, the default name, 5/5 provisioned and a NEW_IMAGE stream', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        TableName: 'cruddur-messages',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' }
        ],
        AttributeDefinitions: Match.arrayEquals([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'last_sk', AttributeType: 'S' },
          { AttributeName: 'unread_owner_uuid', AttributeType: 'S' }
        ]),
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' }
      })
    })
  })

  it('has the GSIs of tableDefinition(): the inbox (projection ALL) and the sparse unread index, 5/5 provisioned', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'inbox-index',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'last_sk', KeyType: 'RANGE' }
          ],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
        },
        {
          IndexName: 'unread-index',
          KeySchema: [
            { AttributeName: 'unread_owner_uuid', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' }
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
        }
      ]
    })
  })

  it('takes its name from props', () => {
    const other = Template.fromStack(new MessagingStack(new App(), 'Named', { bundleDir, tableName: 'chat-test' }))
    other.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'chat-test' })
  })
})

describe('function', () => {
  it('runs nodejs22.x on arm64 with index.handler, 256 MB, 30 s', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 30
    })
  })

  it('gets TABLE_NAME as a Ref to the table, not a literal', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]!
    expect(fn.Properties.Environment.Variables.TABLE_NAME).toEqual({ Ref: tableId })
  })
})

describe('event source mapping', () => {
  it('starts at TRIM_HORIZON, reports item failures, bisects, retries 5 times, then sends to the DLQ', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1)
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } }
    })
  })

  it('has an encrypted DLQ that keeps messages 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600
    })
  })
})

describe('IAM of the function role', () => {
  it('has no wildcard action', () => {
    const actions = allActions()
    expect(actions.length).toBeGreaterThan(0)
    for (const action of actions) {
      expect(action).not.toBe('*')
      expect(action.endsWith(':*'), action).toBe(false)
    }
  })

  it('allows only the DynamoDB actions the handler and the stream poller use', () => {
    const dynamo = allActions().filter((action) => action.startsWith('dynamodb:'))
    expect(new Set(dynamo)).toEqual(new Set([...HANDLER_ACTIONS, ...STREAM_READ_ACTIONS]))
  })

  it('allows Query on the table only, for MSG# partitions only: no index is read', () => {
    const query = statements.filter((statement) => actionsOf(statement).includes('dynamodb:Query'))
    expect(query).toHaveLength(1)
    expect(query[0]!.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] })
    expect(query[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MSG#*'] } })
  })

  it('allows BatchGetItem, GetItem and UpdateItem on the table for GRP# partitions only, and never puts or deletes', () => {
    for (const action of ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']) {
      const granting = statements.filter((statement) => actionsOf(statement).includes(action))
      expect(granting, action).toHaveLength(1)
      expect(granting[0]!.Resource, action).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] })
      expect(granting[0]!.Condition, action).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['GRP#*'] } })
    }
    for (const action of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) expect(allActions()).not.toContain(action)
  })

  it('reads records only from the table stream', () => {
    for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) {
      const resources = statements.filter((s) => actionsOf(s).includes(action)).flatMap((s) => asArray(s.Resource))
      expect(resources, action).toEqual([{ 'Fn::GetAtt': [tableId, 'StreamArn'] }])
    }
  })

  it('lists streams on "*" only: ListStreams has no resource-level permissions', () => {
    const unscoped = statements.filter((statement) => asArray(statement.Resource).includes('*'))
    expect(unscoped.flatMap(actionsOf)).toEqual(['dynamodb:ListStreams'])
  })

  it('only sends to the DLQ (SqsDlq adds the queue lookups) among SQS actions', () => {
    const sqs = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('sqs:')))
    expect(sqs.length).toBeGreaterThan(0)
    for (const statement of sqs) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] })
    }
    const actions = sqs.flatMap(actionsOf)
    expect(actions).toContain('sqs:SendMessage')
    expect(new Set(actions)).toEqual(new Set(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']))
  })

  it('grants nothing outside DynamoDB and SQS inline', () => {
    const services = new Set(allActions().map((action) => action.split(':')[0]))
    expect(services).toEqual(new Set(['dynamodb', 'sqs']))
  })

  it('has no managed policy but AWSLambdaBasicExecutionRole', () => {
    const role = template.findResources('AWS::IAM::Role')[roleId]!
    const managed = asArray<Json>(role.Properties.ManagedPolicyArns)
    expect(managed).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }
    ])
    // And no standalone managed policy attached to the role either.
    for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy'))) {
      expect(asArray<Json>(policy.Properties.Roles)).not.toContainEqual({ Ref: roleId })
    }
  })
})

// The README is the stack's documentation: it must name what the template creates and grants, so it cannot drift.
describe('README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const COUNT = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve']

  it('has a row for each GSI the table has', () => {
    const table = template.findResources('AWS::DynamoDB::Table')[tableId]!
    const indexes = asArray<Json>(table.Properties.GlobalSecondaryIndexes).map((index) => index.IndexName as string)
    expect(indexes.length).toBeGreaterThan(0)
    for (const name of indexes) expect(readme, name).toContain(`| GSI \`${name}\` |`)
  })

  it('counts and names the DynamoDB actions of the role as the template grants them', () => {
    const dynamo = [...new Set(allActions().filter((action) => action.startsWith('dynamodb:')))]
    const stated = /the DynamoDB actions are exactly the (\w+) listed above \(([^)]+)\)/.exec(readme.replace(/\s+/g, ' '))
    expect(stated, 'the sentence counting the DynamoDB actions').not.toBeNull()
    expect(stated![1]).toBe(COUNT[dynamo.length])
    expect(new Set(stated![2]!.split(', ').map((action) => `dynamodb:${action}`))).toEqual(new Set(dynamo))
    for (const action of dynamo) expect(readme, action).toContain(`\`${action}\``)
  })
})

describe('with ElastiCache Serverless (elastiCache: true)', () => {
  let live: Template
  let stack: MessagingStack
  beforeAll(() => {
    stack = new MessagingStack(new App(), 'Live', { bundleDir, elastiCache: true })
    stack.allowCacheFrom(ec2.Peer.securityGroupId('sg-0api0servers'), 'the API servers')
    live = Template.fromStack(stack)
  })
  const idOf = (type: string, predicate: (resource: Json) => boolean = () => true) => {
    const ids = Object.entries(live.findResources(type)).filter(([, resource]) => predicate(resource)).map(([id]) => id)
    expect(ids, type).toHaveLength(1)
    return ids[0]!
  }
  const securityGroup = (description: RegExp) => idOf('AWS::EC2::SecurityGroup', (resource) => description.test(resource.Properties.GroupDescription))

  it('creates a Valkey serverless cache in two isolated subnets, behind its own security group', () => {
    const cacheSg = securityGroup(/ElastiCache Serverless/)
    live.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      Engine: 'valkey',
      ServerlessCacheName: 'cruddur-messages',
      SecurityGroupIds: [{ 'Fn::GetAtt': [cacheSg, 'GroupId'] }],
      SubnetIds: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('isolated') })])
    })
    const cache = Object.values(live.findResources('AWS::ElastiCache::ServerlessCache'))[0]!
    expect(cache.Properties.SubnetIds).toHaveLength(2)
  })

  it('has no way out to the internet: no NAT, no internet gateway; DynamoDB through a gateway endpoint', () => {
    live.resourceCountIs('AWS::EC2::NatGateway', 0)
    live.resourceCountIs('AWS::EC2::InternetGateway', 0)
    live.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] }
    })
  })

  it('opens the cache on 6379 only to the function and the peers allowed in', () => {
    const cacheSg = securityGroup(/ElastiCache Serverless/)
    const functionSg = securityGroup(/stream Lambda: out/)
    const ingress = Object.values(live.findResources('AWS::EC2::SecurityGroupIngress')).map((rule) => rule.Properties)
    expect(ingress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ GroupId: { 'Fn::GetAtt': [cacheSg, 'GroupId'] }, SourceSecurityGroupId: { 'Fn::GetAtt': [functionSg, 'GroupId'] }, FromPort: 6379, ToPort: 6379, IpProtocol: 'tcp' })
      ])
    )
    const cacheGroup = live.findResources('AWS::EC2::SecurityGroup')[cacheSg]!
    const inline = asArray<Json>(cacheGroup.Properties.SecurityGroupIngress)
    const all = [...ingress.filter((rule) => JSON.stringify(rule.GroupId).includes(cacheSg)), ...inline]
    expect(all.map((rule) => [rule.FromPort, rule.ToPort, rule.SourceSecurityGroupId ?? rule.CidrIp])).toEqual([
      [6379, 6379, { 'Fn::GetAtt': [functionSg, 'GroupId'] }],
      [6379, 6379, 'sg-0api0servers']
    ])
    // No egress from the cache (CDK's placeholder rule that matches nothing).
    expect(asArray<Json>(cacheGroup.Properties.SecurityGroupEgress).map((rule) => rule.CidrIp)).toEqual(['255.255.255.255/32'])
  })

  it('puts the function in the VPC with REDIS_URL = rediss://<cache endpoint>, and adds only the VPC access policy', () => {
    const functionSg = securityGroup(/stream Lambda: out/)
    const fn = Object.values(live.findResources('AWS::Lambda::Function'))[0]!
    expect(fn.Properties.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [functionSg, 'GroupId'] }])
    expect(fn.Properties.VpcConfig.SubnetIds).toHaveLength(2)
    const cacheId = idOf('AWS::ElastiCache::ServerlessCache')
    expect(fn.Properties.Environment.Variables.REDIS_URL).toEqual({
      'Fn::Join': ['', ['rediss://', { 'Fn::GetAtt': [cacheId, 'Endpoint.Address'] }, ':', { 'Fn::GetAtt': [cacheId, 'Endpoint.Port'] }]]
    })
    const roleId = fn.Properties.Role['Fn::GetAtt'][0]
    const managed = asArray<Json>(live.findResources('AWS::IAM::Role')[roleId]!.Properties.ManagedPolicyArns).map((arn) => JSON.stringify(arn))
    expect(managed).toHaveLength(2)
    expect(managed.join()).toMatch(/AWSLambdaBasicExecutionRole/)
    expect(managed.join()).toMatch(/AWSLambdaVPCAccessExecutionRole/)
    // Redis needs no IAM grant (network and TLS): the inline policy is the same as without the cache.
    const services = Object.values(live.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => asArray<Json>(policy.Properties.PolicyDocument.Statement))
      .flatMap((statement) => asArray<string>(statement.Action))
      .map((action) => action.split(':')[0])
    expect(new Set(services)).toEqual(new Set(['dynamodb', 'sqs']))
  })

  it('outputs REDIS_URL and the cache security group for the API servers; the default stack has none of it', () => {
    live.hasOutput('RedisUrl', {})
    live.hasOutput('CacheSecurityGroupId', {})
    template.resourceCountIs('AWS::ElastiCache::ServerlessCache', 0)
    template.resourceCountIs('AWS::EC2::VPC', 0)
    expect(() => new MessagingStack(new App(), 'Plain', { bundleDir }).allowCacheFrom(ec2.Peer.anyIpv4())).toThrow(/elastiCache: true/)
  })
})
