// The chat page's browser tests: the real API server with its stream worker on a fresh table in the suite's DynamoDB
// Local, and Debian's Chromium driven by playwright-core (no browser download).
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createMessaging, type MessagingClient, type Participant } from 'dynamo-messaging'
import { devAuth } from '../../examples/api-server/src/auth.js'
import { startApiServer, type ApiServer } from '../../examples/api-server/src/startApiServer.js'
import { createUserDirectory, type User, type UserDirectory } from '../../examples/api-server/src/users.js'
import { createTestTable, dropTestTable, engineClient } from '../support/engine.js'

export { launchChromium } from '../support/chromium.js'

const person = (n: number, handle: string, displayName: string): User => ({
  uuid: `5e1f0000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  handle,
  displayName
})

/** The tests' people; eve's name is markup and script, which must show as text. */
export const PEOPLE = {
  ada: person(1, 'ada', 'Ada Quill'),
  ben: person(2, 'ben', 'Ben Okafor'),
  cleo: person(3, 'cleo', 'Cleo Marsh'),
  dana: person(4, 'dana', 'Dana Reyes'),
  eve: person(5, 'eve', '<img src=x onerror="window.__xss=1">Eve<script>window.__xss=2</script>'),
  fay: person(6, 'fay', 'Fay Lind'),
  gus: person(7, 'gus', 'Gus Moreau'),
  hal: person(8, 'hal', 'Hal Ames'),
  ivy: person(9, 'ivy', 'Ivy Chen'),
  jo: person(10, 'jo', 'Jo Park'),
  kit: person(11, 'kit', 'Kit Vance')
}

export const participant = (user: User): Participant => ({ uuid: user.uuid, handle: user.handle, displayName: user.displayName })

export interface ChatServer {
  url: string
  messaging: MessagingClient
  users: UserDirectory
  api: ApiServer
  /** Stops the server (its open event streams end) and starts a new one on the same port, as a redeploy would. */
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

export async function startChatServer(label: string): Promise<ChatServer> {
  const client = engineClient()
  const tableName = await createTestTable(client, label)
  const users = createUserDirectory(Object.values(PEOPLE))
  let port = 0
  const launch = () =>
    startApiServer({ client, tableName, users, auth: devAuth(), port, host: '127.0.0.1', streamWorker: true, logger: false })
  let api: ApiServer | undefined = await launch()
  port = Number(new URL(api.url).port)
  const chat: ChatServer = {
    url: api.url,
    messaging: createMessaging({ client, tableName }),
    users,
    get api() {
      return api!
    },
    async stop() {
      await api?.stop()
      api = undefined
    },
    async start() {
      api = await launch()
    },
    async close() {
      await api?.stop()
      await dropTestTable(client, tableName)
      client.destroy()
    }
  }
  return chat
}

/** A new browser context signed in as `handle`, on the chat page. */
export async function signedIn(browser: Browser, url: string, handle: string, viewport = { width: 1100, height: 760 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  await page.goto(url)
  await page.getByLabel('Your handle').fill(handle)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('#connection[data-status="live"]').waitFor({ timeout: 10_000 })
  return { context, page }
}

/** The conversation list's entries, top first, as `name|last message|badge`. */
export async function listRows(page: Page): Promise<string[]> {
  return page.locator('#groups .group').evaluateAll((buttons) =>
    buttons.map((b) => [b.querySelector('.name')?.textContent, b.querySelector('.last')?.textContent, b.querySelector('.badge')?.textContent ?? ''].join('|'))
  )
}
