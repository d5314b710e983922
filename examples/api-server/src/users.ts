import { readFile } from 'node:fs/promises'

/** A user of the app. Cruddur keeps these in PostgreSQL; the messaging table only stores copies of the names. */
export interface User {
  uuid: string
  handle: string
  displayName: string
  /** The Cognito `sub` of the user's access tokens. */
  cognitoUserId?: string
}

/** Where the API finds users. Async so a database-backed directory fits the same shape. */
export interface UserDirectory {
  findByHandle(handle: string): Promise<User | undefined>
  findByUuid(uuid: string): Promise<User | undefined>
  findByCognitoId(cognitoUserId: string): Promise<User | undefined>
}

/** The example's users: the same people as the CLI's `seed` (a test keeps them in step). */
export const DEFAULT_USERS_FILE = new URL('../users.json', import.meta.url)

/** A directory over a fixed list, indexed once. */
export function createUserDirectory(users: readonly User[]): UserDirectory {
  const index = <K extends keyof User>(key: K) =>
    new Map(users.flatMap((user) => (user[key] === undefined ? [] : [[user[key], user] as const])))
  const byHandle = index('handle')
  const byUuid = index('uuid')
  const byCognitoId = index('cognitoUserId')
  if (byHandle.size !== users.length || byUuid.size !== users.length) {
    throw new Error('User directory: every user needs a unique uuid and handle')
  }
  return {
    findByHandle: async (handle) => byHandle.get(handle),
    findByUuid: async (uuid) => byUuid.get(uuid),
    findByCognitoId: async (cognitoUserId) => byCognitoId.get(cognitoUserId)
  }
}

/** Reads a `users.json` of `{ uuid, handle, display_name, cognito_user_id? }` (Cruddur's column names). */
export async function loadUserDirectory(file: string | URL = DEFAULT_USERS_FILE): Promise<UserDirectory> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
  if (!Array.isArray(parsed)) throw new Error(`${String(file)}: expected an array of users`)
  return createUserDirectory(parsed.map((entry, position) => toUser(entry, `${String(file)}[${position}]`)))
}

function toUser(entry: unknown, where: string): User {
  const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>
  const text = (key: string): string => {
    const value = record[key]
    if (typeof value !== 'string' || value.trim() === '') throw new Error(`${where}: "${key}" must be a non-empty string`)
    return value
  }
  const cognitoUserId = record.cognito_user_id === undefined ? undefined : text('cognito_user_id')
  return {
    uuid: text('uuid'),
    handle: text('handle'),
    displayName: text('display_name'),
    ...(cognitoUserId !== undefined && { cognitoUserId })
  }
}
