import { describe, expect, it } from 'vitest'
import { createMessaging, messageGroupPk, messagePk } from '../../src/index.js'
import { encodeCursor } from '../../src/cursor/cursor.js'
import { testTable, user } from '../support/engine.js'
import { validationCodesWithoutWrites } from '../support/rejections.js'
import { KEYS_NO_LISTING_RETURNS, KEYS_THE_ENGINE_REFUSES_FOR_A, LISTED_KEYS, titled } from '../support/crafted.js'

const { client, tableName } = await testTable('cursors')
const messaging = createMessaging({ client, tableName })
const alice = user('alice')
const bob = user('bob')
const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'first' })
await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'second' })

// Forged with the real checksum, which anyone can compute: only the key inside stands between it and the engine.
const forA = (sk: string) => encodeCursor({ table: tableName, pattern: 'A', pk: messagePk(messageGroupUuid) }, sk)
const forB = (sk: string) => encodeCursor({ table: tableName, pattern: 'B', pk: messageGroupPk(alice.uuid) }, sk)

async function expectCursorInvalid(action: () => Promise<unknown>): Promise<void> {
  expect(await validationCodesWithoutWrites(client, tableName, action)).toEqual(['cursor_invalid'])
}

describe('a cursor forged with a sort key the query cannot return', () => {
  it.each(titled(KEYS_THE_ENGINE_REFUSES_FOR_A))('Pattern A, %s (the engine would throw): cursor_invalid, nothing read or written', async (_, sk) => {
    await expectCursorInvalid(() => messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid, cursor: forA(sk) }))
    await expectCursorInvalid(() => messaging.listMessages({ messageGroupUuid, cursor: forA(sk) }))
  })

  it.each(titled([...KEYS_THE_ENGINE_REFUSES_FOR_A, ...KEYS_NO_LISTING_RETURNS]))('Pattern B, %s: cursor_invalid', async (_, sk) => {
    await expectCursorInvalid(() => messaging.listMessageGroups({ userUuid: alice.uuid, cursor: forB(sk) }))
  })

  it.each(titled(KEYS_NO_LISTING_RETURNS))('Pattern A, %s (in range, but no message has it): cursor_invalid', async (_, sk) => {
    await expectCursorInvalid(() => messaging.listMessages({ messageGroupUuid, cursor: forA(sk) }))
  })

  it('takes the keys listings return: this library\'s and the seeds\' bare timestamps', async () => {
    for (const sk of LISTED_KEYS) {
      await expect(messaging.listMessages({ messageGroupUuid, cursor: forA(sk) })).resolves.toMatchObject({ items: expect.any(Array) })
      await expect(messaging.listMessageGroups({ userUuid: alice.uuid, cursor: forB(sk) })).resolves.toMatchObject({ items: expect.any(Array) })
    }
    const newest = '9999-12-31T23:59:59.999Z#7ZZZZZZZZZZZZZZZZZZZZZZZZZ'
    expect((await messaging.listMessages({ messageGroupUuid, cursor: forA(newest) })).items.map((m) => m.message)).toEqual(['second', 'first'])
  })
})
