import { describe, expect, it } from 'vitest'
import { createMessaging } from '../../src/index.js'
import { testTable, user } from '../support/engine.js'
import { validationCodesWithoutWrites } from '../support/rejections.js'

const { client, tableName } = await testTable('text-rules')
const messaging = createMessaging({ client, tableName })
const alice = user('alice')
const bob = user('bob')
const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'first' })

const codesWithoutWrites = (action: () => Promise<unknown>) => validationCodesWithoutWrites(client, tableName, action)

const reply = (message: string, sender = bob) => () => messaging.createMessage({ messageGroupUuid, sender, message })
const start = (sender: typeof alice, message = 'hello') => () =>
  messaging.createMessageGroup({ sender, recipient: user('carol'), message })

// One sample of each class the rules name (src/validation/text.ts), and the code each field answers with.
const classes: Array<{ name: string; text: string; message: string; displayName: string }> = [
  { name: 'a lone surrogate', text: 'hi \ud800', message: 'message_invalid', displayName: 'sender_display_name_invalid' },
  { name: 'a C0 control', text: 'hi \u0007', message: 'message_invalid', displayName: 'sender_display_name_invalid' },
  { name: 'NEL (C1)', text: 'hi\u0085there', message: 'message_invalid', displayName: 'sender_display_name_invalid' },
  { name: 'DEL', text: 'hi\u007f', message: 'message_invalid', displayName: 'sender_display_name_invalid' },
  { name: 'a right-to-left override', text: 'hi \u202egnp.exe', message: 'message_invalid', displayName: 'sender_display_name_invalid' },
  { name: 'a first-strong isolate', text: 'hi \u2068x', message: 'message_invalid', displayName: 'sender_display_name_invalid' },
  { name: 'zero-width spaces only', text: '\u200b\u200b', message: 'message_blank', displayName: 'sender_display_name_blank' },
  { name: 'a word joiner and a BOM only', text: '\u2060\ufeff', message: 'message_blank', displayName: 'sender_display_name_blank' },
  { name: 'the Hangul filler only', text: '\u3164', message: 'message_blank', displayName: 'sender_display_name_blank' },
  { name: 'the Braille blank only', text: '\u2800 \u2800', message: 'message_blank', displayName: 'sender_display_name_blank' },
  { name: 'combining marks only', text: '\u0301\u0301', message: 'message_blank', displayName: 'sender_display_name_blank' },
  { name: 'variation selectors and tags only', text: '\ufe0f\u{e0041}', message: 'message_blank', displayName: 'sender_display_name_blank' }
]

describe('text rules through createMessage and createMessageGroup, against the engine', () => {
  for (const sample of classes) {
    it(`${sample.name}: ${sample.message} in a message, ${sample.displayName} in a display name; nothing written`, async () => {
      expect(await codesWithoutWrites(reply(sample.text))).toEqual([sample.message])
      expect(await codesWithoutWrites(start(alice, sample.text))).toEqual([sample.message])
      expect(await codesWithoutWrites(reply('hello', { ...bob, displayName: sample.text }))).toEqual([sample.displayName])
      expect(await codesWithoutWrites(start({ ...alice, displayName: sample.text }))).toEqual([sample.displayName])
      expect(await codesWithoutWrites(start({ ...alice, handle: `ali${sample.text}` }))).toEqual(['sender_handle_invalid'])
    })
  }

  it('a display name may not break lines or hold a tab, where a message may', async () => {
    for (const name of ['Bob\nSmith', 'Bob\tSmith', 'Bob\r\nSmith', 'Bob\u2028Smith']) {
      expect(await codesWithoutWrites(reply('hello', { ...bob, displayName: name }))).toEqual(['sender_display_name_invalid'])
    }
  })

  it('stores line breaks normalised to \\n and keeps invisible characters inside visible text', async () => {
    const windows = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'one\r\ntwo\rthree\u2028four' })
    expect(windows.message).toBe('one\ntwo\nthree\nfour')
    const joined = await messaging.createMessage({ messageGroupUuid, sender: bob, message: '👨\u200d👩\u200d👧 ❤\ufe0f می\u200cخواهم' })
    const marked = await messaging.createMessage({
      messageGroupUuid,
      sender: { ...bob, displayName: 'דוד\u200e (Bob)' },
      message: 'שלום \u200eOK'
    })
    const { items } = await messaging.listMessages({ messageGroupUuid, limit: 3 })
    expect(items.map((item) => [item.message, item.displayName])).toEqual([
      ['שלום \u200eOK', 'דוד\u200e (Bob)'],
      [joined.message, 'Bob'],
      ['one\ntwo\nthree\nfour', 'Bob']
    ])
    expect(joined.message).toBe('👨\u200d👩\u200d👧 ❤\ufe0f می\u200cخواهم')
    expect(marked.displayName).toBe('דוד\u200e (Bob)')
  })

  it('counts the limit after normalisation: 1024 characters of CRLF-typed text are accepted', async () => {
    const text = `a${'\r\n'.repeat(1022)}b`
    const stored = await messaging.createMessage({ messageGroupUuid, sender: bob, message: text })
    expect([...stored.message]).toHaveLength(1024)
    expect(await codesWithoutWrites(reply(`a${'\r\n'.repeat(1023)}b`))).toEqual(['message_exceed_max_chars_1024'])
  })
})
