// `npm run screenshots`: the chat page on a desktop and a phone viewport, into docs/images/, from the same set-up as
// `npm start` (DynamoDB Local, the seeded table, the server with its stream worker) and Debian's Chromium.
import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import { createMessaging, tableDefinition } from 'dynamo-messaging'
import { seedSampleConversations, startDynamoDbLocal, localDynamoDbClient } from 'dynamo-messaging/local'
import type { Browser, Page } from 'playwright-core'
import { devAuth } from '../examples/api-server/src/auth.js'
import { startApiServer } from '../examples/api-server/src/startApiServer.js'
import { loadUserDirectory } from '../examples/api-server/src/users.js'
import { launchChromium } from '../test/support/chromium.js'

const OUT = new URL('../docs/images/', import.meta.url)
const tableName = 'cruddur-messages'
const local = await startDynamoDbLocal()
const client = localDynamoDbClient(local.endpoint)
let browser: Browser | undefined
let stopApi: (() => Promise<void>) | undefined
try {
  await client.send(new CreateTableCommand(tableDefinition({ tableName })))
  const users = await loadUserDirectory()
  const seeded = await seedSampleConversations({ client, tableName })
  const api = await startApiServer({ client, tableName, users, auth: devAuth(), port: 0, host: '127.0.0.1', streamWorker: true, logger: false })
  stopApi = api.stop
  // A fresh message from Dana, so Ada's list shows an unread badge beside the open conversation.
  const person = async (handle: string) => {
    const user = (await users.findByHandle(handle))!
    return { uuid: user.uuid, handle: user.handle, displayName: user.displayName }
  }
  const adaDana = seeded.find((c) => c.participants.some((p) => p.handle === 'ada') && c.participants.some((p) => p.handle === 'dana'))!
  await createMessaging({ client, tableName }).createMessage({ messageGroupUuid: adaDana.messageGroupUuid, sender: await person('dana'), message: 'Are we still on for Friday? <3' })
  await api.worker!.drain(15_000)

  browser = await launchChromium()
  const shoot = async (handle: string, other: string, viewport: { width: number; height: number }, file: string, mobile: boolean) => {
    const context = await browser!.newContext({ viewport, deviceScaleFactor: mobile ? 2 : 1, isMobile: mobile, hasTouch: mobile, colorScheme: 'light' })
    const page: Page = await context.newPage()
    await page.goto(api.url)
    await page.getByLabel('Your handle').fill(handle)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('#connection[data-status="live"]').waitFor()
    await page.locator('#groups .group', { hasText: `@${other}` }).click()
    await page.locator('#messages li').first().waitFor()
    await page.getByLabel(/^Message/).fill('Sounds good, see you then!')
    await page.screenshot({ path: new URL(file, OUT).pathname })
    await context.close()
    console.log(`wrote docs/images/${file}`)
  }
  await shoot('ada', 'ben', { width: 1200, height: 720 }, 'chat-desktop.png', false)
  await shoot('ben', 'ada', { width: 390, height: 780 }, 'chat-phone.png', true)
} finally {
  await browser?.close()
  await stopApi?.()
  client.destroy()
  await local.stop()
}
