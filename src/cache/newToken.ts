import { randomBytes } from 'node:crypto'

/** A version token: 96 random bits. Tokens never repeat, unlike a counter that an eviction would reset. */
export const newToken = (): string => randomBytes(12).toString('base64url')
