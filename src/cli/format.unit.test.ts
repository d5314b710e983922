import { describe, expect, it } from 'vitest'
import { formatCapacity, oneLine, renderTable, singleLine, truncate } from './format.js'
import { renderConversations, renderItems, renderMessages } from './views.js'

describe('renderTable', () => {
  it('aligns columns under a header and a rule, without trailing spaces', () => {
    const text = renderTable([{ header: 'from' }, { header: 'message' }], [['ada', 'hi'], ['benjamin', 'hello there']])
    expect(text).toBe(['from      message', '--------  -----------', 'ada       hi', 'benjamin  hello there'].join('\n'))
  })

  it('cuts cells at maxWidth with an ellipsis and right-aligns where asked', () => {
    const text = renderTable(
      [{ header: 'n', align: 'right' }, { header: 'text', maxWidth: 6 }],
      [['7', 'abcdefghij'], ['12', 'abc']]
    )
    expect(text.split('\n')).toEqual([' n  text', '--  ------', ' 7  abcde…', '12  abc'])
  })

  it('keeps one row per line whatever the cell holds', () => {
    const text = renderTable([{ header: 'a' }, { header: 'b' }], [['x\ny', 'tab\there\u0007'], ['😀😀', '']])
    expect(text.split('\n')).toHaveLength(4)
    expect(text).toContain('x ⏎ y')
    expect(text).toContain('tab here')
    expect(text).not.toContain('\u0007')
  })

  it('counts code points, not UTF-16 units, so emoji do not widen a column', () => {
    const text = renderTable([{ header: 'ab' }, { header: 'c' }], [['😀😀', 'x']])
    expect(text.split('\n')[2]).toBe('😀😀  x')
  })

  it('renders just the header for no rows', () => {
    expect(renderTable([{ header: 'a' }], [])).toBe('a\n-')
  })
})

describe('small formatters', () => {
  it('truncate and oneLine', () => {
    expect(truncate('abc', 3)).toBe('abc')
    expect(truncate('abcd', 3)).toBe('ab…')
    expect(truncate('😀😀😀😀', 2)).toBe('😀…')
    expect(truncate('abc')).toBe('abc')
    expect(oneLine('a\r\nb')).toBe('a ⏎ b')
  })

  it('formatCapacity prints read units, and write units only when there are any', () => {
    expect(formatCapacity({ readUnits: 1.5, writeUnits: 0 })).toBe('consumed capacity: 1.5 RCU')
    expect(formatCapacity({ readUnits: 0, writeUnits: 0 })).toBe('consumed capacity: 0 RCU')
    expect(formatCapacity({ readUnits: 0.1 + 0.2, writeUnits: 2 })).toBe('consumed capacity: 0.3 RCU, 2 WCU')
  })

  it('singleLine joins commander suggestions onto the error line', () => {
    expect(singleLine("error: unknown command 'sed'\n(Did you mean seed?)\n")).toBe("error: unknown command 'sed' (Did you mean seed?)")
  })
})

describe('views', () => {
  it('scan rows name the kind of each item, those of the old layouts too', () => {
    const text = renderItems([
      { pk: 'MSG#g', sk: '#CONVERSATION', kind: 'direct', created_at: '2026-01-01T00:00:00.000Z' },
      { pk: 'MSG#g', sk: '#MEMBER#a', user_handle: 'ada', user_display_name: 'Ada', joined_at: 'x' },
      { pk: 'MSG#g', sk: '2026-01-01T00:00:00.000Z#01', user_handle: 'ada', message: 'hi' },
      { pk: 'GRP#u', sk: 'MSG#g', last_sk: '2026-01-01T00:00:00.000Z#01', user_handle: 'ben', message: 'hi', unread_count: 1 },
      { pk: 'MSG#p', sk: '#CONVERSATION', linked_message_group_uuid: 'g' },
      { pk: 'GRP#u', sk: '2026-01-01T00:00:00.000Z#01', user_handle: 'ben', message: 'hi', message_group_uuid: 'g' },
      { pk: 'MSG#h', sk: '#MEMBERS', members: [{ user_handle: 'ada' }, { user_handle: 'ben' }], created_at: 'x' },
      { pk: 'MSG#q', sk: '#MEMBERS', linked_message_group_uuid: 'h' },
      { pk: 'other', sk: 1 }
    ])
    const lines = text.split('\n').slice(2)
    expect(lines[0]).toMatch(/^conversation\s+MSG#g\s+#CONVERSATION\s+direct since 2026-01-01T00:00:00.000Z$/)
    expect(lines[1]).toMatch(/^member\s+MSG#g\s+#MEMBER#a\s+ada\s+Ada$/)
    expect(lines[2]).toMatch(/^message\s+MSG#g\s+2026-01-01T00:00:00.000Z#01\s+ada\s+hi$/)
    expect(lines[3]).toMatch(/^row\s+GRP#u\s+MSG#g\s+ben\s+hi$/)
    expect(lines[4]).toMatch(/^pair link\s+MSG#p\s+#CONVERSATION\s+→ g$/)
    expect(lines[5]).toMatch(/^old row\s+GRP#u\s+2026-01-01T00:00:00.000Z#01\s+ben\s+hi$/)
    expect(lines[6]).toMatch(/^old members\s+MSG#h\s+#MEMBERS\s+members: ada, ben$/)
    expect(lines[7]).toMatch(/^old pair link\s+MSG#q\s+#MEMBERS\s+→ h$/)
    expect(lines[8]).toMatch(/^other\s+other\s+1$/)
  })

  it('a transcript shows time, sender and the whole text; conversations show the other participant', () => {
    const long = 'x'.repeat(300)
    const messages = renderMessages([
      { uuid: 'm', messageGroupUuid: 'g', userUuid: 'u', displayName: 'Ada Quill', handle: 'ada', message: long, createdAt: 'T1', sortKey: 's' }
    ])
    expect(messages.split('\n')[2]).toBe(`T1       ada (Ada Quill)  ${long}`)
    const groups = renderConversations([
      { kind: 'direct', messageGroupUuid: 'g', otherUserUuid: 'u', otherUserDisplayName: 'Ben Okafor', otherUserHandle: 'ben', lastMessage: long, lastMessageAt: 'T2', sortKey: 's', unreadCount: 0 }
    ])
    expect(groups.split('\n')[0]).toBe('last message at  with              unread  message_group_uuid  last message')
    expect(groups.split('\n')[2]).toBe(`T2               ben (Ben Okafor)       0  g                   ${'x'.repeat(59)}…`)
  })
})
