import { describe, expect, it } from 'vitest'
import { conversationScope, memberKey, membershipVersionKey, pageKey, userScope, versionKey } from './cacheKeys.js'

const g = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399'
const hashTag = (key: string) => /\{([^}]*)\}/.exec(key)![1]

describe('cache keys', () => {
  it('put every key of a scope under one hash tag, the table first', () => {
    const keys = [
      versionKey('chat', conversationScope(g)),
      pageKey('chat', conversationScope(g), 20, undefined),
      pageKey('chat', conversationScope(g), 20, '2026-01-01T00:00:00.000Z#01KAAAAAAAAAAAAAAAAAAAAAAA'),
      membershipVersionKey('chat', g),
      memberKey('chat', g, 'u1')
    ]
    expect(keys).toEqual([
      `chat:{g:${g}}:v`,
      `chat:{g:${g}}:a1:20:`,
      `chat:{g:${g}}:a1:20:2026-01-01T00:00:00.000Z#01KAAAAAAAAAAAAAAAAAAAAAAA`,
      `chat:{g:${g}}:mv`,
      `chat:{g:${g}}:m2:u1`
    ])
    expect(new Set(keys.map(hashTag))).toEqual(new Set([`g:${g}`]))
  })

  it('keep a user scope apart from the conversation with the same uuid, and each limit apart', () => {
    expect(versionKey('chat', userScope(g))).toBe(`chat:{u:${g}}:v`)
    expect(pageKey('chat', userScope(g), 5, undefined)).toBe(`chat:{u:${g}}:b2:5:`)
    expect(pageKey('chat', userScope(g), 5, undefined)).not.toBe(pageKey('chat', userScope(g), 50, undefined))
  })
})
