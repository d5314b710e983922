// The page's calls to the API, with the dev bearer token. Shapes are the server's (snake_case, as Cruddur's).

export interface Group {
  uuid: string
  /** `group` for a group; absent for a direct conversation (Cruddur's fields exactly). */
  kind?: 'group'
  title?: string
  member_count?: number
  /** Direct: the other participant. Group: the last sender (null before the first message). */
  display_name: string | null
  handle: string | null
  message: string | null
  created_at: string
  unread_count: number
}

/** A member of a group, as `GET /api/message_groups/:uuid/members` lists them. */
export interface Member {
  uuid: string
  handle: string
  display_name: string
  role: 'owner' | 'admin' | 'member'
  joined_at: string
  last_read_sort_key: string | null
  last_read_at: string | null
}

/** A `group` event of `/api/events`. */
export type { GroupEvent } from '../../src/events/groupEvent.js'

export interface Message {
  uuid?: string
  display_name: string | null
  handle: string | null
  message: string
  created_at: string
  sort_key: string
}

/** A `message` event of `/api/events`. */
export type { MessageEvent } from '../../src/events/messageEvent.js'

export interface PageConfig {
  auth: 'dev' | 'cognito'
  live: boolean
}

/** An answer other than 2xx: its status and the API's error codes. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly codes: string[]
  ) {
    super(`${status} ${codes.join(', ')}`)
  }
}

export interface Api {
  get<T>(path: string): Promise<{ body: T; nextCursor: string | null }>
  post<T>(path: string, body?: unknown): Promise<T>
}

export function apiFor(handle: string): Api {
  const authorization = `Bearer dev:${handle}`
  async function call<T>(method: string, path: string, body?: unknown) {
    const response = await fetch(path, {
      method,
      headers: { authorization, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) })
    })
    const parsed: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined)
    if (!response.ok) {
      const codes = (parsed as { errors?: string[] } | undefined)?.errors
      throw new ApiError(response.status, Array.isArray(codes) ? codes : [])
    }
    return { body: parsed as T, nextCursor: response.headers.get('x-next-cursor') }
  }
  return {
    get: (path) => call('GET', path),
    post: async (path, body) => (await call<never>('POST', path, body)).body
  }
}

export async function pageConfig(): Promise<PageConfig> {
  return (await fetch('/chat-config.json')).json() as Promise<PageConfig>
}
