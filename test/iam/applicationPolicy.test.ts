// applicationPolicy against what the library really sends: every DynamoDB request of each operation, recorded at the
// client, must be allowed by the policy made for that operation alone, and every action that policy allows must be
// sent by it (least privilege both ways). DynamoDB Local does not enforce IAM, so the requests are checked here.
import { readFileSync } from 'node:fs'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { ulid } from 'ulid'
import { describe, expect, it } from 'vitest'
import { applicationPolicy, createMessaging, MESSAGING_OPERATIONS, type MessagingOperation } from '../../src/index.js'
import { testTable, user } from '../support/engine.js'

interface Request {
  action: string
  resource: string
}

const { client, tableName } = await testTable('iam-policy')
const tableArn = `arn:aws:dynamodb:us-east-1:123456789012:table/${tableName}`
const arnOf = (table: string, index?: string) => `arn:aws:dynamodb:us-east-1:123456789012:table/${table}${index ? `/index/${index}` : ''}`

/** What IAM authorises for one request: a transaction's parts each as their own action (Put is PutItem). */
function authorised(command: string, input: Record<string, any>): Request[] {
  const action = command.replace(/Command$/, '')
  if (action === 'TransactWriteItems') {
    return (input.TransactItems as Record<string, any>[]).flatMap((item) =>
      Object.entries(item).map(([part, body]) => ({
        action: part === 'ConditionCheck' ? 'ConditionCheckItem' : `${part}Item`,
        resource: arnOf(body.TableName)
      }))
    )
  }
  if (action === 'BatchGetItem' || action === 'BatchWriteItem') {
    return Object.keys(input.RequestItems).map((table) => ({ action, resource: arnOf(table) }))
  }
  return [{ action, resource: arnOf(input.TableName, input.IndexName) }]
}

function recordRequests(target: DynamoDBClient): { take(): Request[] } {
  let requests: Request[] = []
  target.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(...authorised(String(context.commandName), args.input as Record<string, any>))
      return next(args)
    },
    { step: 'initialize', name: 'iamPolicyRecorder' }
  )
  return {
    take() {
      const taken = requests
      requests = []
      return taken
    }
  }
}

const recorder = recordRequests(client)
const messaging = createMessaging({ client, tableName })
const [ada, bob, cleo, dana] = [user('ada'), user('bob'), user('cleo'), user('dana')]
const sent = new Map<MessagingOperation, Request[]>()
const run = async <T>(operation: MessagingOperation, action: () => Promise<T>): Promise<T> => {
  recorder.take()
  const result = await action()
  sent.set(operation, [...(sent.get(operation) ?? []), ...recorder.take()])
  return result
}

// Each operation on the paths that send the most: a new conversation, a send into it, a client's retry (same id), an
// unread message, a recount, a list with a viewer.
const messageId = ulid()
const { messageGroupUuid } = await run('createMessageGroup', () => messaging.createMessageGroup({ sender: ada, recipient: bob, message: 'Hi Bob' }))
await run('createMessageGroup', () => messaging.createMessageGroup({ sender: ada, recipient: bob, message: 'Again', messageId }))
await run('createMessageGroup', () => messaging.createMessageGroup({ sender: ada, recipient: bob, message: 'Again', messageId }))
const reply = await run('createMessage', () => messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi Ada' }))
await run('updateMessageGroups', () => messaging.updateMessageGroups(reply))
await run('listMessages', () => messaging.listMessages({ messageGroupUuid, viewerUuid: ada.uuid }))
await run('listMessageGroups', () => messaging.listMessageGroups({ userUuid: ada.uuid }))
await run('getParticipants', () => messaging.getParticipants(messageGroupUuid))
await run('countUnread', () => messaging.countUnread({ userUuid: ada.uuid }))
await run('markRead', () => messaging.markRead({ messageGroupUuid, userUuid: ada.uuid }))
// A group: made (and retried with its id), grown, renamed, an admin made, listed, a member removed, the owner leaving.
const groupMessageId = ulid()
const group = { creator: ada, members: [bob, cleo], title: 'Team', message: 'Hello team', messageId: groupMessageId }
const { messageGroupUuid: team } = await run('createGroup', () => messaging.createGroup(group))
await run('createGroup', () => messaging.createGroup(group))
await run('addMembers', () => messaging.addMembers({ messageGroupUuid: team, by: ada.uuid, members: [dana] }))
await run('renameGroup', () => messaging.renameGroup({ messageGroupUuid: team, by: ada.uuid, title: 'Team 2' }))
await run('setMemberRole', () => messaging.setMemberRole({ messageGroupUuid: team, by: ada.uuid, userUuid: bob.uuid, role: 'admin' }))
await run('listMembers', () => messaging.listMembers({ messageGroupUuid: team, viewerUuid: ada.uuid }))
await run('removeMember', () => messaging.removeMember({ messageGroupUuid: team, by: bob.uuid, userUuid: dana.uuid }))
await run('removeMember', () => messaging.removeMember({ messageGroupUuid: team, by: ada.uuid, userUuid: ada.uuid }))

// Granted but sent only under contention: updateMessageGroups reads a row again (GetItem) when its conditional
// update lost to another writer.
const ONLY_ON_CONFLICT: Partial<Record<MessagingOperation, string[]>> = { updateMessageGroups: ['GetItem'] }

describe.each(MESSAGING_OPERATIONS)('%s', (operation) => {
  const policy = applicationPolicy({ tableArn, operations: [operation] })
  const allows = ({ action, resource }: Request) =>
    policy.Statement.some((statement) => statement.Action.includes(`dynamodb:${action}`) && statement.Resource === resource)

  it('sends only requests its policy allows', () => {
    const requests = sent.get(operation) ?? []
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.filter((request) => !allows(request))).toEqual([])
  })

  it('is allowed nothing it does not send', () => {
    const requests = sent.get(operation) ?? []
    const granted = policy.Statement.flatMap((statement) => statement.Action.map((action) => `${action.replace('dynamodb:', '')} ${statement.Resource}`))
    const used = new Set(requests.map((request) => `${request.action} ${request.resource}`))
    for (const action of ONLY_ON_CONFLICT[operation] ?? []) used.add(`${action} ${tableArn}`)
    expect(granted.filter((grant) => !used.has(grant))).toEqual([])
  })
})

it("docs/guide.md shows applicationPolicy's output as it is", () => {
  const guide = readFileSync(new URL('../../docs/guide.md', import.meta.url), 'utf8')
  const marker = '<!-- the output below is checked by test/iam/applicationPolicy.test.ts -->'
  const shown = guide.slice(guide.indexOf(marker)).match(/```json\n([\s\S]*?)\n```/)?.[1]
  const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages'
  expect(shown).toBe(JSON.stringify(applicationPolicy({ tableArn: arn }), null, 2))
})
