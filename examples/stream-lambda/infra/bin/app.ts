import { App } from 'aws-cdk-lib'
import { MessagingStack } from '../lib/messagingStack.js'

const app = new App()
// Optional overrides: `cdk deploy -c tableName=chat-dev -c bundleDir=/abs/path/to/dist -c elastiCache=true`.
// Account and region come from the CLI's credentials.
new MessagingStack(app, 'DynamoMessagingStack', {
  tableName: app.node.tryGetContext('tableName'),
  bundleDir: app.node.tryGetContext('bundleDir'),
  elastiCache: [true, 'true'].includes(app.node.tryGetContext('elastiCache')),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
})
