// Two writers that both find a participant's row missing each rebuild it, at different messages. Pattern D checks
// after a rebuild and folds what it finds, so the conversation is never left listed twice.
import { describe, expect, it } from 'vitest'
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { createMessaging } from '../../src/index.js'
import { engineClient, scanAll, testTable, user } from '../support/engine.js'
import { injectFaults } from '../support/faults.js'

const { client, tableName } = await testTable('rebuild')
const messaging = createMessaging({ client, tableName })
const once = { maxAttempts: 2, baseDelayMs: 1 }

describe('a lost row rebuilt by two writers at once', () => {
  it('ends as one row, at the newer message', async () => {
    const [ada, ben] = [user('ada'), user('ben')]
    const { messageGroupUuid } = await messaging.createMessageGroup({ sender: ada, recipient: ben, message: 'one' })
    const five = await messaging.createMessage({ messageGroupUuid, sender: ada, message: 'five' })
    await messaging.updateMessageGroups(five)
    const six = await messaging.createMessage({ messageGroupUuid, sender: ben, message: 'six' })
    // Ben's row is lost (the bootcamp's delete-then-put); Ada's shows "five".
    await DynamoDBDocumentClient.from(client).send(new DeleteCommand({ TableName: tableName, Key: { pk: `GRP#${ben.uuid}`, sk: five.sortKey } }))

    // Writer A brings the rows to "five": it finds Ben's row missing and rebuilds it. Just before its transaction
    // commits, writer B (for "six") does the same, completely: both rebuilt Ben's row, at different messages.
    const a = engineClient({ maxAttempts: 1 })
    let interleaved = false
    injectFaults(a, async (name) => {
      if (name === 'TransactWriteItemsCommand' && !interleaved) {
        interleaved = true
        await messaging.updateMessageGroups(six, once)
      }
      return undefined
    })
    const result = await createMessaging({ client: a, tableName }).updateMessageGroups(five, once)
    a.destroy()
    expect(interleaved).toBe(true)
    expect(result).toMatchObject({ recreated: 1, removed: 1 })

    const rows = (await scanAll(client, tableName)).filter((item) => item.message_group_uuid === messageGroupUuid)
    expect(rows.map((row) => [row.pk, row.sk, row.message]).sort()).toEqual(
      [
        [`GRP#${ada.uuid}`, six.sortKey, 'six'],
        [`GRP#${ben.uuid}`, six.sortKey, 'six']
      ].sort()
    )
  })
})
