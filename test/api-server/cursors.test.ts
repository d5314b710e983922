import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messageGroupPk, messagePk } from 'dynamo-messaging'
import { encodeCursor } from '../../src/cursor/cursor.js'
import { KEYS_NO_LISTING_RETURNS, KEYS_THE_ENGINE_REFUSES_FOR_A, titled } from '../support/crafted.js'
import { person, startTestApi, type TestApi } from './support.js'

let api: TestApi
let adaUuid: string
let adaBen: string

beforeAll(async () => {
  api = await startTestApi('api-cursors')
  adaUuid = (await person(api.users, 'ada')).uuid
  const started = await api.call('POST', '/api/messages', { as: 'ada', body: { message: 'Hi Ben', handle: 'ben' } })
  adaBen = started.body.message_group_uuid
})
afterAll(async () => api?.close())

describe('crafted cursors through the API: 422 cursor_invalid, never a 500, nothing written', () => {
  it.each(titled([...KEYS_THE_ENGINE_REFUSES_FOR_A, ...KEYS_NO_LISTING_RETURNS]))('sort key %s', async (_, sk) => {
    const messagesCursor = encodeCursor({ table: api.tableName, pattern: 'A', pk: messagePk(adaBen) }, { sk })
    const groupsCursor = encodeCursor({ table: api.tableName, pattern: 'B', pk: messageGroupPk(adaUuid) }, { sk, row: `MSG#${adaBen}` })
    await api.withoutWrites(async () => {
      const messages = await api.call('GET', `/api/messages/${adaBen}?cursor=${encodeURIComponent(messagesCursor)}`, { as: 'ada' })
      expect([messages.status, messages.body]).toEqual([422, { errors: ['cursor_invalid'] }])
      const groups = await api.call('GET', `/api/message_groups?cursor=${encodeURIComponent(groupsCursor)}`, { as: 'ada' })
      expect([groups.status, groups.body]).toEqual([422, { errors: ['cursor_invalid'] }])
    })
  })
})
