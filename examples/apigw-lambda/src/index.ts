// The Lambda entry points, configured from the environment the stack sets: `http` (the HTTP API's routes), `connect`
// and `disconnect` (the WebSocket API's). The user directory is a stand-in (`USERS`, a JSON list of
// { uuid, displayName, handle }): look users up in your own store instead.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { CognitoJwtVerifier } from 'aws-jwt-verify'
import { createMessaging, type Participant } from 'dynamo-messaging'
import { createConnectionHandlers } from './connectionHandlers.js'
import { createHttpHandler } from './httpHandler.js'

const client = new DynamoDBClient({})
const users = new Map((JSON.parse(process.env.USERS ?? '[]') as Participant[]).map((user) => [user.uuid, user]))
const findUser = (uuid: string) => users.get(uuid)

export const http = createHttpHandler({ messaging: createMessaging({ client, tableName: process.env.TABLE_NAME }), findUser })

// The same Cognito pool and app client as the HTTP API's JWT authorizer; access tokens, as the front end holds them.
const verifier = CognitoJwtVerifier.create({
  userPoolId: process.env.COGNITO_USER_POOL_ID ?? '',
  clientId: process.env.COGNITO_CLIENT_ID ?? '',
  tokenUse: 'access'
})
export const { connect, disconnect } = createConnectionHandlers({
  documents: DynamoDBDocumentClient.from(client),
  connectionsTable: process.env.CONNECTIONS_TABLE ?? '',
  verifyToken: async (token) => (await verifier.verify(token).catch(() => undefined))?.sub
})
