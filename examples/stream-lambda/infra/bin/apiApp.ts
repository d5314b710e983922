import { App } from 'aws-cdk-lib'
import { MessagingApiStack } from '../lib/messagingApiStack.js'

// The API Gateway + Lambda example, live (see README.md, "The API stack"):
//   npx cdk deploy --app "npx tsx bin/apiApp.ts" -c cognitoUserPoolId=<pool id> -c cognitoClientId=<client id>
// On a table you already have (stream on, `dynamo-messaging adopt` run), add
//   -c existingTableName=cruddur-messages -c existingTableStreamArn=<its LatestStreamArn>
const app = new App()
const context = (key: string): string | undefined => app.node.tryGetContext(key)
const existingTableName = context('existingTableName')
const existingTableStreamArn = context('existingTableStreamArn')
new MessagingApiStack(app, 'DynamoMessagingApiStack', {
  cognito: { userPoolId: context('cognitoUserPoolId') ?? '', clientId: context('cognitoClientId') ?? '' },
  ...(existingTableName && existingTableStreamArn && { existingTable: { tableName: existingTableName, tableStreamArn: existingTableStreamArn } }),
  ...(context('tableName') && { tableName: context('tableName') }),
  ...(context('usersJson') && { usersJson: context('usersJson') }),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
})
