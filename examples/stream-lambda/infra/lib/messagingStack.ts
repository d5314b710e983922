import { fileURLToPath } from 'node:url'
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
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
}

/** The messaging table, its stream, and the Lambda that applies Pattern D (updateMessageGroups) to each new message. */
export class MessagingStack extends Stack {
  readonly table: dynamodb.Table
  readonly handler: lambda.Function
  readonly deadLetterQueue: sqs.Queue

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

    this.handler = new lambda.Function(this, 'StreamHandler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.bundleDir ?? DEFAULT_BUNDLE_DIR),
      memorySize: 256,
      timeout: Duration.seconds(30),
      // A reference, never a literal: follows the table if its name changes.
      environment: { TABLE_NAME: this.table.tableName }
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
}
