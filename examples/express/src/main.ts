// Runs the Express example. Locally (DYNAMODB_ENDPOINT set, after `npx dynamo-messaging local` and `schema-load`):
// a stream worker does Pattern D in this process, as the stream Lambda does on AWS. Sign-in is a stand-in: the
// `x-user-uuid` header names one of the sample users; put your own auth in `currentUser`.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMessaging, type Participant } from 'dynamo-messaging'
import { localDynamoDbClient, SAMPLE_USERS, startLocalStreamWorker } from 'dynamo-messaging/local'
import { createApp } from './app.js'

const endpoint = process.env.DYNAMODB_ENDPOINT
const client = endpoint ? localDynamoDbClient(endpoint) : new DynamoDBClient({})
const tableName = process.env.TABLE_NAME ?? 'cruddur-messages'
const messaging = createMessaging({ client, tableName })
if (endpoint) await startLocalStreamWorker({ client, tableName, startingPosition: 'LATEST' })

const users = new Map<string, Participant>(Object.values(SAMPLE_USERS).map((user) => [user.uuid, user]))
const app = createApp({
  messaging,
  currentUser: (request) => users.get(request.header('x-user-uuid') ?? ''),
  findUser: (uuid) => users.get(uuid)
})
const port = Number(process.env.PORT ?? 3000)
app.listen(port, () => console.log(`Express example listening on http://localhost:${port}`))
