import { fileURLToPath } from 'node:url'
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import { HttpApi, HttpMethod, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers'
import { HttpLambdaIntegration, WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources'
import * as sqs from 'aws-cdk-lib/aws-sqs'
import type { Construct } from 'constructs'
import { applicationPolicy, tableDefinition, type MessagingOperation } from './dynamoMessaging.js'

/** `examples/apigw-lambda/dist`, where that example's build writes `index.mjs` (http, connect, disconnect) and `push/index.mjs`. */
export const DEFAULT_API_BUNDLE_DIR = fileURLToPath(new URL('../../../apigw-lambda/dist', import.meta.url))
export const CONNECTION_INDEX = 'connection-index'

export interface MessagingApiStackProps extends StackProps {
  /**
   * A table that already exists (made by the bootcamp's scripts, `schema-load`, or your own CDK/Terraform), brought to
   * this version's layout with `dynamo-messaging adopt`; its stream must be on. Without it, the stack creates the table
   * from the library's `tableDefinition()` (on demand), kept when the stack is deleted.
   */
  existingTable?: { tableName: string; tableStreamArn: string }
  /** The new table's name when no `existingTable` is given. Default `cruddur-messages`. */
  tableName?: string
  /** The Cognito user pool and app client whose access tokens sign users in (HTTP API's JWT authorizer, $connect). */
  cognito: { userPoolId: string; clientId: string }
  /** The example's stand-in user directory, `USERS` of its Lambda (JSON list of { uuid, displayName, handle }). */
  usersJson?: string
  /** Default {@link DEFAULT_API_BUNDLE_DIR}. */
  bundleDir?: string
}

/** The HTTP routes of a messaging API, their operations on the table, and the route keys of examples/apigw-lambda. */
export const HTTP_ROUTES: ReadonlyArray<{ method: HttpMethod; path: string }> = [
  { method: HttpMethod.GET, path: '/conversations' },
  { method: HttpMethod.GET, path: '/conversations/{messageGroupUuid}/messages' },
  { method: HttpMethod.POST, path: '/conversations/{messageGroupUuid}/messages' },
  { method: HttpMethod.POST, path: '/messages' },
  { method: HttpMethod.POST, path: '/conversations/{messageGroupUuid}/read' },
  { method: HttpMethod.GET, path: '/unread' }
]
/** What the HTTP function calls: every operation except Pattern D, which the stream function runs. */
const HTTP_OPERATIONS: MessagingOperation[] = ['listMessages', 'listMessageGroups', 'createMessage', 'createMessageGroup', 'markRead', 'countUnread']

/**
 * A messaging API on API Gateway + Lambda, live: the HTTP API (JWT authorizer) and its function; the WebSocket API
 * with `$connect`/`$disconnect` and its connections table; the stream function that applies Pattern D and pushes each
 * new message to the participants' connections (examples/websocket-push). Every role gets only the actions its code
 * sends: the HTTP function's policy is the library's `applicationPolicy`.
 */
export class MessagingApiStack extends Stack {
  readonly table: dynamodb.ITable
  readonly connections: dynamodb.Table
  readonly httpApi: HttpApi
  readonly webSocketStage: WebSocketStage
  readonly functions: { http: lambda.Function; connect: lambda.Function; disconnect: lambda.Function; push: lambda.Function }

  constructor(scope: Construct, id: string, props: MessagingApiStackProps) {
    super(scope, id, props)
    const bundleDir = props.bundleDir ?? DEFAULT_API_BUNDLE_DIR
    this.table = props.existingTable
      ? dynamodb.Table.fromTableAttributes(this, 'MessagesTable', props.existingTable)
      : this.newTable(props.tableName)

    this.connections = new dynamodb.Table(this, 'ConnectionsTable', {
      partitionKey: { name: 'user_uuid', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'connection_id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expires_at', // connections that closed without $disconnect
      removalPolicy: RemovalPolicy.DESTROY // only who is connected now: nothing to keep
    })
    this.connections.addGlobalSecondaryIndex({
      indexName: CONNECTION_INDEX,
      partitionKey: { name: 'connection_id', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY
    })

    const code = lambda.Code.fromAsset(bundleDir)
    const fn = (name: string, handler: string, environment: Record<string, string>, asset = code) =>
      new lambda.Function(this, name, {
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        handler,
        code: asset,
        memorySize: 256,
        timeout: Duration.seconds(10),
        environment
      })
    const shared = {
      TABLE_NAME: this.table.tableName,
      CONNECTIONS_TABLE: this.connections.tableName,
      COGNITO_USER_POOL_ID: props.cognito.userPoolId,
      COGNITO_CLIENT_ID: props.cognito.clientId,
      USERS: props.usersJson ?? '[]'
    }
    const http = fn('HttpHandler', 'index.http', shared)
    const connect = fn('ConnectHandler', 'index.connect', shared)
    const disconnect = fn('DisconnectHandler', 'index.disconnect', shared)

    // The application's role: exactly the library's applicationPolicy for the operations the routes call.
    grantStatements(http, applicationPolicy({ tableArn: this.table.tableArn, operations: HTTP_OPERATIONS }).Statement)
    grant(connect, ['dynamodb:PutItem'], [this.connections.tableArn])
    grant(disconnect, ['dynamodb:Query'], [`${this.connections.tableArn}/index/${CONNECTION_INDEX}`])
    grant(disconnect, ['dynamodb:DeleteItem'], [this.connections.tableArn])

    const region = Stack.of(this).region
    this.httpApi = new HttpApi(this, 'HttpApi', {
      defaultAuthorizer: new HttpJwtAuthorizer('CognitoAuthorizer', `https://cognito-idp.${region}.amazonaws.com/${props.cognito.userPoolId}`, {
        jwtAudience: [props.cognito.clientId] // access tokens carry it as client_id, which API Gateway checks
      })
    })
    const httpIntegration = new HttpLambdaIntegration('HttpIntegration', http)
    for (const route of HTTP_ROUTES) this.httpApi.addRoutes({ path: route.path, methods: [route.method], integration: httpIntegration })

    const webSocketApi = new WebSocketApi(this, 'WebSocketApi', {
      connectRouteOptions: { integration: new WebSocketLambdaIntegration('ConnectIntegration', connect) },
      disconnectRouteOptions: { integration: new WebSocketLambdaIntegration('DisconnectIntegration', disconnect) }
    })
    this.webSocketStage = new WebSocketStage(this, 'WebSocketStage', { webSocketApi, stageName: 'production', autoDeploy: true })

    // Pattern D and the push (examples/websocket-push/streamHandler.ts), from the table's stream.
    const push = fn(
      'PushHandler',
      'index.handler',
      { TABLE_NAME: this.table.tableName, CONNECTIONS_TABLE: this.connections.tableName, WEBSOCKET_ENDPOINT: this.webSocketStage.callbackUrl },
      lambda.Code.fromAsset(`${bundleDir}/push`)
    )
    grantStatements(push, applicationPolicy({ tableArn: this.table.tableArn, operations: ['updateMessageGroups'] }).Statement)
    grant(push, ['dynamodb:Query', 'dynamodb:DeleteItem'], [this.connections.tableArn]) // a user's connections; gone ones
    this.webSocketStage.grantManagementApiAccess(push) // execute-api:ManageConnections on this stage's @connections
    const deadLetterQueue = new sqs.Queue(this, 'StreamDlq', { encryption: sqs.QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14), enforceSSL: true })
    push.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(deadLetterQueue)
      })
    )
    this.functions = { http, connect, disconnect, push }

    new CfnOutput(this, 'HttpApiUrl', { value: this.httpApi.apiEndpoint })
    new CfnOutput(this, 'WebSocketUrl', { value: this.webSocketStage.url })
  }

  /** The table as the library's tableDefinition() describes it (on demand), as a CloudFormation resource. */
  private newTable(tableName?: string): dynamodb.ITable {
    const definition = tableDefinition({ ...(tableName && { tableName }), billing: 'on-demand' })
    const table = new dynamodb.CfnTable(this, 'MessagesTableResource', {
      tableName: definition.TableName,
      billingMode: definition.BillingMode,
      attributeDefinitions: definition.AttributeDefinitions!.map((a) => ({ attributeName: a.AttributeName!, attributeType: a.AttributeType! })),
      keySchema: definition.KeySchema!.map((k) => ({ attributeName: k.AttributeName!, keyType: k.KeyType! })),
      globalSecondaryIndexes: definition.GlobalSecondaryIndexes!.map((index) => ({
        indexName: index.IndexName!,
        keySchema: index.KeySchema!.map((k) => ({ attributeName: k.AttributeName!, keyType: k.KeyType! })),
        projection: { projectionType: index.Projection!.ProjectionType! }
      })),
      streamSpecification: { streamViewType: definition.StreamSpecification!.StreamViewType! }
    })
    table.applyRemovalPolicy(RemovalPolicy.RETAIN) // messages are user data
    return dynamodb.Table.fromTableAttributes(this, 'MessagesTable', { tableArn: table.attrArn, tableStreamArn: table.attrStreamArn })
  }
}

function grant(fn: lambda.Function, actions: string[], resources: string[]): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources }))
}

function grantStatements(fn: lambda.Function, statements: ReturnType<typeof applicationPolicy>['Statement']): void {
  for (const statement of statements) fn.addToRolePolicy(iam.PolicyStatement.fromJson(statement))
}
