/**
 * What a version covers: a conversation (`g`: its members and Pattern A pages) or a user (`u`: their Pattern B pages).
 * A write marks a scope stale by giving it a new version.
 */
export interface CacheScope {
  readonly kind: 'g' | 'u'
  readonly uuid: string
}

export const conversationScope = (uuid: string): CacheScope => ({ kind: 'g', uuid })
export const userScope = (uuid: string): CacheScope => ({ kind: 'u', uuid })

// `<table>:{g:<uuid>}…`: the `{…}` hash tag puts every key of one scope in one Redis Cluster slot, so a scope's version
// and its pages come back in one call. Table names and uuids hold no braces (both are validated), so the tag is ours.
const base = (tableName: string, scope: CacheScope): string => `${tableName}:{${scope.kind}:${scope.uuid}}`

/** The scope's version: a random token that every write replaces. Shared by all page formats. */
export const versionKey = (tableName: string, scope: CacheScope): string => `${base(tableName, scope)}:v`

/**
 * A page of Pattern A (`a1`) or B (`b1`) by limit and start key; `1` is the stored format, so a later format never
 * reads this one.
 */
export const pageKey = (tableName: string, scope: CacheScope, limit: number, startSk: string | undefined): string =>
  `${base(tableName, scope)}:${scope.kind === 'g' ? 'a1' : 'b1'}:${limit}:${startSk ?? ''}`

/** A conversation's members, which never change once written: not versioned. */
export const membersKey = (tableName: string, messageGroupUuid: string): string =>
  `${base(tableName, conversationScope(messageGroupUuid))}:m1`
