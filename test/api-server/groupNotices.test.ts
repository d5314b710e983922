import { describe, expect, it } from 'vitest'
import { decodeGroupNotice } from '../../examples/api-server/src/events/groupNotices.js'

describe('decodeGroupNotice', () => {
  it('reads a notice back as it was published, title included', () => {
    const notice = { userUuids: ['u1', 'u2'], event: { message_group_uuid: 'g', change: 'renamed', title: 'New' } }
    expect(decodeGroupNotice(JSON.stringify(notice))).toEqual(notice)
  })

  it('refuses what is not a notice, and keeps nothing it does not know', () => {
    for (const text of ['not json', 'null', '{}', '{"userUuids":"u1","event":{"message_group_uuid":"g","change":"added"}}',
      '{"userUuids":["u1"],"event":{"message_group_uuid":"g","change":"deleted"}}', '{"userUuids":[1],"event":{"message_group_uuid":"g","change":"added"}}',
      '{"userUuids":["u1"],"event":{"message_group_uuid":"g","change":"renamed","title":5}}']) {
      expect(decodeGroupNotice(text), text).toBeUndefined()
    }
    const extra = decodeGroupNotice('{"userUuids":["u1"],"event":{"message_group_uuid":"g","change":"added","html":"<b>"},"more":1}')
    expect(extra).toEqual({ userUuids: ['u1'], event: { message_group_uuid: 'g', change: 'added' } })
  })
})
