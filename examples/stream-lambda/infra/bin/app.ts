import { App } from 'aws-cdk-lib'
import { MessagingStack } from '../lib/messagingStack.js'

const app = new App()
// Account and region come from the CLI's credentials (CDK_DEFAULT_*); TABLE_NAME overrides the table name.
new MessagingStack(app, 'DynamoMessagingStack', {
  tableName: process.env.TABLE_NAME,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
})
