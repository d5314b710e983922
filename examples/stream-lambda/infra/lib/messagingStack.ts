import { fileURLToPath } from 'node:url'
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources'
import * as sqs from 'aws-cdk-lib/aws-sqs'
import type { Construct } from 'constructs'

/** Same names as the library's `DEFAULT_TABLE_NAME`, `MESSAGE_GROUP_INDEX` and `UNREAD_INDEX`. */
export const DEFAULT_TABLE_NAME = 'cruddur-messages'
export const MESSAGE_GROUP_INDEX = 'message-group-sk-index'
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
    this.table.addGlobalSecondaryIndex({
      indexName: MESSAGE_GROUP_INDEX,
      partitionKey: { name: 'message_group_uuid', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
      readCapacity: 5,
      writeCapacity: 5
    })
    // Sparse: only rows with something unread carry unread_owner_uuid. countUnread (the app, not this Lambda) reads it.
    this.table.addGlobalSecondaryIndex({
      indexName: UNREAD_INDEX,
      partitionKey: { name: 'unread_owner_uuid', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['message_group_uuid', 'unread_count'],
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

    // Least privilege: exactly the calls updateMessageGroups makes. No grantReadWriteData (adds Scan, BatchWrite,
    // DescribeTable, ...).
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'QueryMessageGroupIndex', // queryGroupRows: every participant's row of a conversation
        actions: ['dynamodb:Query'],
        resources: [`${this.table.tableArn}/index/${MESSAGE_GROUP_INDEX}`]
      })
    )
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        // Consistent Queries of the table: a conversation's new messages, which the unread counts are taken from
        // (MSG#), and, as a last resort when the index does not show a participant's row, that user's rows (GRP#).
        sid: 'QueryTableConsistently',
        actions: ['dynamodb:Query'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['GRP#*', 'MSG#*'] } }
      })
    )
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        // GetItem: the consistent read of the members item. PutItem/DeleteItem/UpdateItem: TransactWriteItems is
        // authorized per item by the action each item performs (conditional Put and Delete of a moved row, Update of
        // a row whose unread count a repeated or late message changes).
        sid: 'ReadWriteConversationRows',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
        resources: [this.table.tableArn]
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
