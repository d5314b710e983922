import { fileURLToPath } from 'node:url'
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as elasticache from 'aws-cdk-lib/aws-elasticache'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources'
import * as sqs from 'aws-cdk-lib/aws-sqs'
import type { Construct } from 'constructs'

/** Same names as the library's `DEFAULT_TABLE_NAME`, `INBOX_INDEX` and `UNREAD_INDEX`. */
export const DEFAULT_TABLE_NAME = 'cruddur-messages'
export const INBOX_INDEX = 'inbox-index'
export const UNREAD_INDEX = 'unread-index'

/** `examples/stream-lambda/dist`, where the example's build writes `index.mjs`. Resolved from this file, not the cwd. */
export const DEFAULT_BUNDLE_DIR = fileURLToPath(new URL('../../dist', import.meta.url))

export interface MessagingStackProps extends StackProps {
  /** Default `cruddur-messages`. */
  tableName?: string
  /** Directory holding the prebuilt handler (`index.mjs` exporting `handler`). Default {@link DEFAULT_BUNDLE_DIR}. */
  bundleDir?: string
  /**
   * An ElastiCache Serverless cache (Valkey) for the API's cache and live events: the function joins its VPC, refreshes
   * the cache and publishes each applied conversation there (`REDIS_URL`). Default off.
   */
  elastiCache?: boolean
  /** The VPC for the cache and the function; default a new one of two isolated subnets (no NAT) with a DynamoDB gateway endpoint. */
  vpc?: ec2.IVpc
  /** The cache's name: lower-case letters, digits and hyphens, up to 40. Default `cruddur-messages`. */
  cacheName?: string
}

/** The cache's port: ElastiCache Serverless takes TLS connections there (6380 reads from replicas, unused here). */
export const CACHE_PORT = 6379

/** The messaging table, its stream, and the Lambda that applies Pattern D (updateMessageGroups) to each new message. */
export class MessagingStack extends Stack {
  readonly table: dynamodb.Table
  readonly handler: lambda.Function
  readonly deadLetterQueue: sqs.Queue
  /** With `elastiCache`: the cache, its VPC, and its security group (allow your API servers in with {@link allowCacheFrom}). */
  readonly cache?: elasticache.CfnServerlessCache
  readonly vpc?: ec2.IVpc
  readonly cacheSecurityGroup?: ec2.SecurityGroup

  constructor(scope: Construct, id: string, props: MessagingStackProps = {}) {
    super(scope, id, props)

    // Same shape as the library's tableDefinition(): pk/sk, the two GSIs, 5/5 provisioned, NEW_IMAGE stream.
    this.table = new dynamodb.Table(this, 'MessagesTable', {
      tableName: props.tableName ?? DEFAULT_TABLE_NAME,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PROVISIONED,
      readCapacity: 5,
      writeCapacity: 5,
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      // Messages are user data: deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN
    })
    // Sparse: only conversation rows carry last_sk. Pattern B (the app, not this Lambda) reads it.
    this.table.addGlobalSecondaryIndex({
      indexName: INBOX_INDEX,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'last_sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
      readCapacity: 5,
      writeCapacity: 5
    })
    // Sparse: only rows with something unread carry unread_owner_uuid. countUnread (the app, not this Lambda) reads it.
    this.table.addGlobalSecondaryIndex({
      indexName: UNREAD_INDEX,
      partitionKey: { name: 'unread_owner_uuid', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
      readCapacity: 5,
      writeCapacity: 5
    })

    // Where a batch goes (as stream pointers, not records) once retries are used up, so nothing is dropped silently.
    this.deadLetterQueue = new sqs.Queue(this, 'StreamDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED, // encrypted without a KMS key to grant
      retentionPeriod: Duration.days(14), // SQS maximum: time to inspect and replay
      enforceSSL: true
    })

    // ElastiCache Serverless lives in a VPC, so the function joins it: without a NAT, it reaches DynamoDB through a
    // gateway endpoint (free), and the cache over TLS on 6379, which only the function's security group may open.
    // Lambda's poller reads the stream itself, outside the VPC.
    let network: Pick<lambda.FunctionProps, 'vpc' | 'vpcSubnets' | 'securityGroups'> = {}
    let redisUrl: string | undefined
    if (props.elastiCache) {
      const vpc =
        props.vpc ??
        new ec2.Vpc(this, 'Vpc', {
          maxAzs: 2,
          natGateways: 0,
          subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
          gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } }
        })
      const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED })
      const functionSecurityGroup = new ec2.SecurityGroup(this, 'StreamHandlerSecurityGroup', {
        vpc,
        description: 'The stream Lambda: out to DynamoDB (gateway endpoint) and the cache'
      })
      const cacheSecurityGroup = new ec2.SecurityGroup(this, 'CacheSecurityGroup', {
        vpc,
        description: 'ElastiCache Serverless: in from the stream Lambda (and the API servers allowed in)',
        allowAllOutbound: false
      })
      cacheSecurityGroup.addIngressRule(functionSecurityGroup, ec2.Port.tcp(CACHE_PORT), 'the stream Lambda')
      const cache = new elasticache.CfnServerlessCache(this, 'Cache', {
        serverlessCacheName: props.cacheName ?? 'cruddur-messages',
        engine: 'valkey',
        majorEngineVersion: '8',
        subnetIds: subnets.subnetIds,
        securityGroupIds: [cacheSecurityGroup.securityGroupId]
      })
      network = { vpc, vpcSubnets: { subnets: subnets.subnets }, securityGroups: [functionSecurityGroup] }
      // TLS (rediss://) is the only way in; the function's client runs in cluster mode.
      redisUrl = `rediss://${cache.attrEndpointAddress}:${cache.attrEndpointPort}`
      this.cache = cache
      this.vpc = vpc
      this.cacheSecurityGroup = cacheSecurityGroup
      new CfnOutput(this, 'RedisUrl', { value: redisUrl, description: 'REDIS_URL for the API servers (with REDIS_CLUSTER=on)' })
      new CfnOutput(this, 'CacheSecurityGroupId', { value: cacheSecurityGroup.securityGroupId })
    }

    this.handler = new lambda.Function(this, 'StreamHandler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.bundleDir ?? DEFAULT_BUNDLE_DIR),
      memorySize: 256,
      timeout: Duration.seconds(30),
      // A reference, never a literal: follows the table (and the cache) if a name changes.
      environment: { TABLE_NAME: this.table.tableName, ...(redisUrl && { REDIS_URL: redisUrl }) },
      ...network
    })

    // Least privilege: exactly the calls Pattern D makes. No grantReadWriteData (adds Scan, BatchWrite, PutItem,
    // DeleteItem, DescribeTable, ...): it never creates or deletes an item, and reads no index.
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        // Consistent Queries of a conversation's partition: its members (#MEMBER#), and the messages previews and
        // unread counts are taken from.
        sid: 'QueryConversations',
        actions: ['dynamodb:Query'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MSG#*'] } }
      })
    )
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        // The members' rows: read in batches, read again when one changed, and each updated in place (conditioned on
        // its revision, so it never creates one).
        sid: 'ReadUpdateConversationRows',
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['GRP#*'] } }
      })
    )

    // The event source adds the stream read grants and sqs:SendMessage (and queue lookups) on the DLQ itself.
    this.handler.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON, // start at the oldest record still in the stream
        batchSize: 100,
        reportBatchItemFailures: true, // handler returns the failed records; only those (and later ones) retry
        bisectBatchOnError: true, // split a failing batch to isolate a poison record
        retryAttempts: 5, // bounded: a poison record cannot block its shard until the record expires (24 h)
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(this.deadLetterQueue)
      })
    )
  }

  /**
   * Lets `peer` (your API servers' security group, e.g. a Fargate service's) open the cache: the API reads through it
   * and subscribes there for live events.
   */
  allowCacheFrom(peer: ec2.IPeer, description = 'the API servers'): void {
    if (!this.cacheSecurityGroup) throw new Error('No cache: construct the stack with elastiCache: true')
    this.cacheSecurityGroup.addIngressRule(peer, ec2.Port.tcp(CACHE_PORT), description)
  }
}
