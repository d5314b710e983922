import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SAMPLE_USERS } from '../../src/local/sampleUsers.js'
import { DEFAULT_USERS_FILE, loadUserDirectory } from '../../examples/api-server/src/users.js'

type UsersFileEntry = { uuid: string; handle: string; display_name: string; cognito_user_id: string }
const readUsersFile = () => JSON.parse(readFileSync(DEFAULT_USERS_FILE, 'utf8')) as UsersFileEntry[]

describe('examples/api-server/users.json', () => {
  it('names exactly the people the CLI seed writes conversations between', () => {
    const file = readUsersFile()
    const byUuid = (a: { uuid: string }, b: { uuid: string }) => a.uuid.localeCompare(b.uuid)
    expect(file.map(({ uuid, handle, display_name }) => ({ uuid, handle, display_name })).sort(byUuid)).toEqual(
      Object.values(SAMPLE_USERS)
        .map(({ uuid, handle, displayName }) => ({ uuid, handle, display_name: displayName }))
        .sort(byUuid)
    )
  })

  it('gives every user a distinct Cognito id', () => {
    const file = readUsersFile()
    const ids = file.map((user) => user.cognito_user_id)
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('loadUserDirectory', () => {
  it('finds users by handle, uuid and Cognito id', async () => {
    const users = await loadUserDirectory()
    const ada = await users.findByHandle('ada')
    expect(ada).toEqual({ uuid: SAMPLE_USERS.ada.uuid, handle: 'ada', displayName: 'Ada Quill', cognitoUserId: expect.any(String) })
    expect(await users.findByUuid(SAMPLE_USERS.ada.uuid)).toBe(ada)
    expect(await users.findByCognitoId(ada!.cognitoUserId!)).toBe(ada)
    expect(await users.findByHandle('Ada')).toBeUndefined()
  })

  it('refuses a malformed file or duplicate users rather than starting with a wrong directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'users-'))
    try {
      const write = async (name: string, content: unknown) => {
        const path = join(dir, name)
        await writeFile(path, JSON.stringify(content))
        return path
      }
      const ada = { uuid: SAMPLE_USERS.ada.uuid, handle: 'ada', display_name: 'Ada Quill' }
      await expect(loadUserDirectory(await write('object.json', { ada }))).rejects.toThrow(/array/)
      await expect(loadUserDirectory(await write('missing.json', [{ uuid: ada.uuid, handle: 'ada' }]))).rejects.toThrow(/display_name/)
      await expect(loadUserDirectory(await write('dup.json', [ada, { ...ada, uuid: SAMPLE_USERS.ben.uuid }]))).rejects.toThrow(/unique/)
      const ok = await loadUserDirectory(await write('ok.json', [ada]))
      expect(await ok.findByHandle('ada')).toEqual({ uuid: ada.uuid, handle: 'ada', displayName: 'Ada Quill' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
