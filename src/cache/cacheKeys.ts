/**
 * What a version covers: a conversation (`g`: its Pattern A pages), its membership (`g`, kept under `mv`) or a user
 * (`u`: their Pattern B pages). A write marks a scope stale by giving its version a new value.
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

/** The scope's version: a random token that every write replaces (for a user, with the rows it wrote: see watermark.ts). */
export const versionKey = (tableName: string, scope: CacheScope): string => `${base(tableName, scope)}:v`

/**
 * A page of Pattern A (`a1`) or B (`b2`) by limit and start key; the digit is the stored format, so a later format
 * never reads an older one (`b1` pages came from rows that moved).
 */
export const pageKey = (tableName: string, scope: CacheScope, limit: number, start: string | undefined): string =>
  `${base(tableName, scope)}:${scope.kind === 'g' ? 'a1' : 'b2'}:${limit}:${start ?? ''}`

/** A conversation's membership version: replaced by every change of its members, and by nothing else. */
export const membershipVersionKey = (tableName: string, messageGroupUuid: string): string =>
  `${base(tableName, conversationScope(messageGroupUuid))}:mv`

/** Whether one user is a member of one conversation (only members are cached), under the membership version. */
export const memberKey = (tableName: string, messageGroupUuid: string, userUuid: string): string =>
  `${base(tableName, conversationScope(messageGroupUuid))}:m2:${userUuid}`
