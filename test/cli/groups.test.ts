// The operator's group commands (create-group, add-members, remove-member, list-members) through the built CLI against
// DynamoDB Local, checked against the library's own reads; refusals end in one error line with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createMessaging, type MessagingClient } from '../../src/index.js'
import { SAMPLE_USERS } from '../../src/local/sampleUsers.js'
import { createTestTable, dropTestTable, engineClient, scanAll, user } from '../support/engine.js'
import { on, oneErrorLine, runCli } from './runCli.js'

let client: DynamoDBClient
let tableName: string
let messaging: MessagingClient
const { ada, ben, cleo, dana } = SAMPLE_USERS
const zed = user('zed')
let group: string

beforeAll(async () => {
  client = engineClient()
  tableName = await createTestTable(client, 'cli-groups')
  messaging = createMessaging({ client, tableName })
})
afterAll(async () => {
  await dropTestTable(client, tableName)
  client.destroy()
})

const rolesOf = async (messageGroupUuid: string, viewerUuid: string) =>
  (await messaging.listMembers({ messageGroupUuid, viewerUuid })).items.map((member) => [member.handle, member.role]).sort()

/** Runs the CLI and checks it failed with one error line matching `error`, and that the table did not change. */
async function refusedWithoutWrites(args: string[], error: RegExp): Promise<void> {
  const before = await scanAll(client, tableName)
  const result = await runCli([...args, ...on(tableName)])
  expect(result.code).toBe(1)
  expect(oneErrorLine(result)).toMatch(error)
  expect(await scanAll(client, tableName)).toEqual(before)
}

describe('group commands', () => {
  it('create-group: the owner and members (seed handles, or uuid:handle:Display Name) list it with its first message', async () => {
    const result = await runCli(['create-group', 'ada', '--title', 'Launch', '--member', 'ben', '--member', `${zed.uuid}:zed:${zed.displayName}`, '--message', 'Welcome!', ...on(tableName)])
    expect(result.code).toBe(0)
    const match = /^created group ([0-9a-f-]{36}) with 3 members$/.exec(result.stdout.trim())
    expect(match).not.toBeNull()
    group = match![1]!
    expect(result.stderr).toMatch(/consumed capacity: [\d.]+ RCU, [\d.]+ WCU/)
    for (const member of [ada, ben, zed]) {
      const { items } = await messaging.listMessageGroups({ userUuid: member.uuid })
      expect(items).toEqual([expect.objectContaining({ kind: 'group', messageGroupUuid: group, title: 'Launch', memberCount: 3, lastMessage: 'Welcome!' })])
    }
    expect(await rolesOf(group, ben.uuid)).toEqual([['ada', 'owner'], ['ben', 'member'], ['zed', 'member']])
  })

  it('list-members: every member with role and read marker, as a table and as JSON, read by an operator who is no member', async () => {
    const table = await runCli(['list-members', group, ...on(tableName)])
    expect(table.code).toBe(0)
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^member\s+role\s+joined at\s+read up to\s+user_uuid$/)
    expect(lines.slice(2).sort()).toEqual([
      expect.stringMatching(new RegExp(`^ada \\(Ada Quill\\)\\s+owner\\s+\\S+\\s+\\d{4}-\\S+Z\\s+${ada.uuid}$`)),
      expect.stringMatching(new RegExp(`^ben \\(Ben Okafor\\)\\s+member\\s+\\S+\\s+-\\s+${ben.uuid}$`)),
      expect.stringMatching(new RegExp(`^zed \\(Zed\\)\\s+member\\s+\\S+\\s+-\\s+${zed.uuid}$`))
    ])
    expect(table.stderr).toContain(`3 members in ${group}`)
    const json = await runCli(['list-members', group, '--json', ...on(tableName)])
    expect(JSON.parse(json.stdout)).toEqual((await messaging.listMembers({ messageGroupUuid: group, viewerUuid: ada.uuid })).items)
  })

  it('add-members: by the owner; a handle the table already names is found with its display name; members already in are skipped', async () => {
    // cleo: a seed handle; zed: only known to the table (as the other participant of a direct conversation with dana).
    await messaging.createMessageGroup({ sender: dana, recipient: zed, message: 'hi zed' })
    const result = await runCli(['add-members', group, 'ada', 'cleo', 'ben', ...on(tableName)])
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe(`added 1 member cleo to ${group}`)
    expect(await rolesOf(group, ada.uuid)).toEqual([['ada', 'owner'], ['ben', 'member'], ['cleo', 'member'], ['zed', 'member']])
  })

  it('a plain member may not add or remove; a stranger is no member; bad input is refused: one error line, nothing written', async () => {
    await refusedWithoutWrites(['add-members', group, 'ben', 'dana'], /^error: User 7d3c6a52-\S+ may not add members in message group/)
    await refusedWithoutWrites(['remove-member', group, 'ben', 'cleo'], /^error: User 7d3c6a52-\S+ may not remove a member in message group/)
    await refusedWithoutWrites(['add-members', group, 'dana', 'dana'], /takes part in no message group/)
    await refusedWithoutWrites(['create-group', 'ada', '--title', ' ', '--member', 'ben'], /^error: title: /)
    await refusedWithoutWrites(['create-group', 'ada', '--title', 'T', '--member', 'ada'], /members\.0\.uuid: names the creator or a member twice/)
    await refusedWithoutWrites(['create-group', 'ada', '--title', 'T', '--member', 'nobody'], /names the handle "nobody"; pass the user's uuid instead \(for a group member: uuid:handle:Display Name\)/)
    await refusedWithoutWrites(['add-members', group, 'ada', `${zed.uuid}:zed`], /expected a handle, or uuid:handle:Display Name/)
  })

  it('remove-member: by the owner, or leaving; the owner who leaves hands the group on', async () => {
    const removed = await runCli(['remove-member', group, 'ada', 'cleo', ...on(tableName)])
    expect([removed.code, removed.stdout.trim()]).toEqual([0, `removed cleo from ${group}`])
    expect((await messaging.listMessageGroups({ userUuid: cleo.uuid })).items).toEqual([])
    const again = await runCli(['remove-member', group, 'ada', 'cleo', ...on(tableName)])
    expect(again.stdout.trim()).toBe(`cleo was not a member of ${group}`)
    const left = await runCli(['remove-member', group, 'ada', 'ada', '--json', ...on(tableName)])
    expect(JSON.parse(left.stdout)).toEqual({ removed: true, newOwnerUuid: expect.any(String) })
    // Ben and Zed joined together: the tie goes to the lower uuid (docs/data-model.md).
    const heir = [ben, zed].sort((a, b) => a.uuid.localeCompare(b.uuid))[0]!
    expect(JSON.parse(left.stdout).newOwnerUuid).toBe(heir.uuid)
    expect(await rolesOf(group, ben.uuid)).toEqual([['ben', heir === ben ? 'owner' : 'member'], ['zed', heir === zed ? 'owner' : 'member']])
  })
})
