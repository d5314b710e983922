// The chat page end to end, every hop real: Chromium → API server → library → DynamoDB Local → stream → stream worker
// → onApplied → event hub → server-sent events → the page.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { cognitoAuth } from '../../examples/api-server/src/auth.js'
import { buildServer } from '../../examples/api-server/src/buildServer.js'
import { launchChromium, listRows, participant, PEOPLE, signedIn, startChatServer, type ChatServer } from './support.js'

let browser: Browser
let chat: ChatServer

beforeAll(async () => {
  ;[browser, chat] = await Promise.all([launchChromium(), startChatServer('browser-chat')])
})
afterAll(async () => {
  await browser?.close()
  await chat?.close()
})

const { ada, ben, cleo, dana, eve, fay, gus, hal, ivy, jo, kit } = PEOPLE
/** An attribute of the focused element ('' when nothing is): no waiting, unlike a `:focus` locator. */
const focused = (page: Page, property: 'id' | 'className') =>
  page.evaluate((name) => String((globalThis as unknown as { document: { activeElement?: Record<string, unknown> } }).document.activeElement?.[name] ?? ''), property)
const messageTexts = (page: Page) => page.locator('#messages .text').allTextContents()
const apiGroups = async (handle: string) =>
  (await (await fetch(`${chat.url}/api/message_groups`, { headers: { authorization: `Bearer dev:${handle}` } })).json()) as Array<{ handle: string; unread_count: number }>

it('A sends, B sees it live at the top of the list with a badge, opens it, and the badge stays cleared', async () => {
  const adaBen = await chat.messaging.createMessageGroup({ sender: participant(ada), recipient: participant(ben), message: 'Hello Ben' })
  await chat.messaging.createMessageGroup({ sender: participant(cleo), recipient: participant(ben), message: 'Cleo here' })
  await chat.api.worker!.drain(10_000)
  const a = await signedIn(browser, chat.url, 'ada')
  const b = await signedIn(browser, chat.url, 'ben')
  await expect.poll(() => listRows(b.page)).toEqual(['Cleo Marsh @cleo|Cleo here|1', 'Ada Quill @ada|Hello Ben|1'])

  await a.page.locator(`#groups .group[data-uuid="${adaBen.messageGroupUuid}"]`).click()
  await a.page.getByLabel(/^Message/).fill('Are you there?')
  await a.page.getByLabel(/^Message/).press('Enter')
  // Within 2 seconds of sending, without reloading: moved to the top, with a badge of 2.
  await expect.poll(() => listRows(b.page), { timeout: 2_000, interval: 50 }).toEqual(['Ada Quill @ada|Are you there?|2', 'Cleo Marsh @cleo|Cleo here|1'])
  // The sender's pane shows the message once (from the POST's answer; the event that follows is a repeat).
  await expect.poll(() => messageTexts(a.page)).toEqual(['Hello Ben', 'Are you there?'])

  await b.page.locator('#groups .group').first().click()
  await expect.poll(() => messageTexts(b.page)).toEqual(['Hello Ben', 'Are you there?'])
  await expect.poll(() => listRows(b.page)).toEqual(['Ada Quill @ada|Are you there?|', 'Cleo Marsh @cleo|Cleo here|1'])
  await expect.poll(async () => (await apiGroups('ben')).find((g) => g.handle === 'ada')?.unread_count).toBe(0)

  // While B reads the open conversation, a new message arrives in the pane and leaves no badge.
  await a.page.getByLabel(/^Message/).fill('Line one\nline two')
  await a.page.getByRole('button', { name: 'Send' }).click()
  await expect.poll(() => messageTexts(b.page), { timeout: 2_000, interval: 50 }).toEqual(['Hello Ben', 'Are you there?', 'Line one\nline two'])
  await expect.poll(async () => (await apiGroups('ben')).find((g) => g.handle === 'ada')?.unread_count).toBe(0)

  await b.page.reload()
  await b.page.locator('#connection[data-status="live"]').waitFor()
  await expect.poll(() => listRows(b.page)).toEqual(['Ada Quill @ada|Line one\nline two|', 'Cleo Marsh @cleo|Cleo here|1'])
  await Promise.all([a.context.close(), b.context.close()])
})

it('starts a conversation by handle, and the other side sees it appear', async () => {
  const d = await signedIn(browser, chat.url, 'dana')
  const h = await signedIn(browser, chat.url, 'hal')
  expect(await listRows(h.page)).toEqual([])
  await d.page.getByLabel('New message to').fill('@hal')
  await d.page.getByLabel('New message to').press('Enter')
  await expect.poll(() => d.page.locator('#pane-title').textContent()).toBe('New message to Hal Ames @hal')
  // Shift+Enter is a new line, Enter sends; the counter counts down from 1024.
  const box = d.page.getByLabel(/^Message/)
  await box.pressSequentially('Hi Hal')
  await box.press('Shift+Enter')
  await box.pressSequentially('from Dana')
  expect(await d.page.locator('#counter').textContent()).toBe(String(1024 - 'Hi Hal\nfrom Dana'.length))
  await box.press('Enter')
  await expect.poll(() => messageTexts(d.page)).toEqual(['Hi Hal\nfrom Dana'])
  await expect.poll(() => listRows(d.page)).toEqual(['Hal Ames @hal|Hi Hal\nfrom Dana|'])
  await expect.poll(() => listRows(h.page), { timeout: 2_000, interval: 50 }).toEqual(['Dana Reyes @dana|Hi Hal\nfrom Dana|1'])
  // An unknown handle is said so, and nothing opens.
  await d.page.getByLabel('New message to').fill('nobody')
  await d.page.getByRole('button', { name: 'Start' }).click()
  await expect.poll(() => d.page.locator('#new-error').textContent()).toBe('No user @nobody.')
  await Promise.all([d.context.close(), h.context.close()])
})

it('scrolling up loads every older page, with no gap and no duplicate', async () => {
  const started = await chat.messaging.createMessageGroup({ sender: participant(fay), recipient: participant(gus), message: 'message 00' })
  for (let n = 1; n < 47; n++) {
    const sender = n % 2 ? gus : fay
    await chat.messaging.createMessage({ messageGroupUuid: started.messageGroupUuid, sender: participant(sender), message: `message ${String(n).padStart(2, '0')}` })
  }
  const f = await signedIn(browser, chat.url, 'fay')
  await f.page.locator(`#groups .group[data-uuid="${started.messageGroupUuid}"]`).click()
  await expect.poll(async () => (await messageTexts(f.page)).length).toBe(20) // the newest page
  const expected = Array.from({ length: 47 }, (_, n) => `message ${String(n).padStart(2, '0')}`)
  await expect
    .poll(
      async () => {
        await f.page.locator('#messages').evaluate((log) => log.scrollTo({ top: 0 }))
        return messageTexts(f.page)
      },
      { timeout: 15_000, interval: 300 }
    )
    .toEqual(expected)
  const keys = await f.page.locator('#messages li').evaluateAll((items) => items.map((li) => (li as unknown as { dataset: { sortKey: string } }).dataset.sortKey))
  expect(new Set(keys).size).toBe(47)
  expect([...keys].sort()).toEqual(keys)
  await f.context.close()
})

it('renders markup in a message and a display name as text, under a strict CSP', async () => {
  const markup = '<b>bold</b><img src=x onerror="window.__xss=3"><script>window.__xss=4</script>'
  await chat.messaging.createMessageGroup({ sender: participant(eve), recipient: participant(ivy), message: markup })
  await chat.api.worker!.drain(10_000)
  const page = (await signedIn(browser, chat.url, 'ivy')).page
  await expect.poll(() => listRows(page)).toEqual([`${eve.displayName} @eve|${markup}|1`])
  await page.locator('#groups .group').first().click()
  await expect.poll(() => messageTexts(page)).toEqual([markup])
  expect(await page.locator('#messages .who').first().textContent()).toBe(`${eve.displayName} @eve`)
  expect(await page.locator('main#chat b, main#chat img, main#chat script').count()).toBe(0)
  expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined()
  const response = await fetch(chat.url)
  expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
  expect(await response.text()).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/)
  await page.context().close()
})

it('reconnects after the server restarts and shows what was sent meanwhile', async () => {
  const started = await chat.messaging.createMessageGroup({ sender: participant(cleo), recipient: participant(dana), message: 'before the restart' })
  await chat.api.worker!.drain(10_000)
  const d = await signedIn(browser, chat.url, 'dana')
  await d.page.locator(`#groups .group[data-uuid="${started.messageGroupUuid}"]`).click()
  await expect.poll(() => messageTexts(d.page)).toEqual(['before the restart'])

  await chat.stop()
  await expect.poll(() => d.page.locator('#connection').getAttribute('data-status')).toBe('reconnecting')
  await chat.messaging.createMessage({ messageGroupUuid: started.messageGroupUuid, sender: participant(cleo), message: 'while you were away' })
  await chat.start()

  await d.page.locator('#connection[data-status="live"]').waitFor({ timeout: 15_000 })
  await expect.poll(() => messageTexts(d.page), { timeout: 10_000 }).toEqual(['before the restart', 'while you were away'])
  // And live again after reconnecting.
  await chat.messaging.createMessage({ messageGroupUuid: started.messageGroupUuid, sender: participant(cleo), message: 'and live again' })
  await expect.poll(() => messageTexts(d.page), { timeout: 5_000 }).toEqual(['before the restart', 'while you were away', 'and live again'])
  await expect.poll(() => listRows(d.page)).toContain('Cleo Marsh @cleo|and live again|')
  await d.context.close()
})

it('a send whose answer was lost is stored once when the user sends again', async () => {
  const started = await chat.messaging.createMessageGroup({ sender: participant(hal), recipient: participant(ivy), message: 'Hi Ivy' })
  const g = await signedIn(browser, chat.url, 'hal')
  await g.page.locator(`#groups .group[data-uuid="${started.messageGroupUuid}"]`).click()
  await expect.poll(() => messageTexts(g.page)).toEqual(['Hi Ivy'])
  // The first POST reaches the server and is stored, but its answer never reaches the page.
  const ids: string[] = []
  await g.page.route('**/api/messages', async (route) => {
    ids.push((route.request().postDataJSON() as { message_id: string }).message_id)
    if (ids.length === 1) {
      await route.fetch()
      return route.abort('connectionreset')
    }
    return route.continue()
  })
  await g.page.getByLabel(/^Message/).fill('Only once')
  await g.page.getByLabel(/^Message/).press('Enter')
  await expect.poll(() => g.page.locator('#send-error').textContent()).toContain('Not sent')
  await g.page.getByLabel(/^Message/).press('Enter')
  await expect.poll(() => messageTexts(g.page)).toEqual(['Hi Ivy', 'Only once'])
  expect(ids).toHaveLength(2)
  expect(ids[1]).toBe(ids[0])
  const stored = await chat.messaging.listMessages({ messageGroupUuid: started.messageGroupUuid })
  expect(stored.items.map((m) => m.message)).toEqual(['Only once', 'Hi Ivy'])
  await g.context.close()
})

it('loads and signs in with no console error and no failed request; its icon is an SVG under the same CSP', async () => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)))
  page.on('pageerror', (error) => void problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => void problems.push(`failed: ${request.url()}`))
  page.on('response', (response) => void (response.status() >= 400 && problems.push(`${response.status()}: ${response.url()}`)))
  const icon = page.waitForResponse((response) => new URL(response.url()).pathname.startsWith('/favicon'), { timeout: 10_000 })
  await page.goto(chat.url)
  await page.getByLabel('Your handle').fill('ada')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('#connection[data-status="live"]').waitFor({ timeout: 10_000 })
  const answer = await icon
  expect([new URL(answer.url()).pathname, answer.status(), answer.headers()['content-type']]).toEqual(['/favicon.svg', 200, 'image/svg+xml'])
  expect(answer.headers()['content-security-policy']).toBe((await fetch(chat.url)).headers.get('content-security-policy'))
  expect(problems).toEqual([])
  await context.close()
})

it('offers no dev sign-in when the server verifies Cognito tokens', async () => {
  const server = buildServer({
    messaging: chat.messaging,
    users: chat.users,
    auth: cognitoAuth({ userPoolId: 'us-east-1_AbCdEf123', clientId: 'client123' })
  })
  const url = await server.listen({ port: 0, host: '127.0.0.1' })
  try {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(url)
    await page.getByRole('heading', { name: 'Sign in with Cognito' }).waitFor()
    expect(await page.getByLabel('Your handle').isVisible()).toBe(false)
    expect(await page.locator('#sign-in').isHidden()).toBe(true)
    // And the dev scheme itself is refused there.
    expect((await fetch(`${url}/api/message_groups`, { headers: { authorization: 'Bearer dev:ada' } })).status).toBe(401)
    await context.close()
  } finally {
    await server.close()
  }
})

it('works by keyboard alone on a phone-sized viewport, one pane at a time, with labelled badges and a live log', async () => {
  await chat.messaging.createMessageGroup({ sender: participant(jo), recipient: participant(kit), message: 'Hi Kit' })
  await chat.api.worker!.drain(10_000)
  const context = await browser.newContext({ viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true })
  const page = await context.newPage()
  await page.goto(chat.url)
  // The handle field gets the focus; Enter signs in.
  await page.locator('#handle:focus').waitFor()
  await page.keyboard.type('kit')
  await page.keyboard.press('Enter')
  await page.locator('#connection[data-status="live"]').waitFor({ timeout: 10_000 })
  const badge = page.locator('#groups .badge')
  await expect.poll(() => badge.getAttribute('aria-label')).toBe('1 unread')
  expect(await page.locator('.pane').isVisible()).toBe(false)
  // Tab through the header and the new-message form to the conversation, and open it with Enter.
  for (let presses = 0; !/\bgroup\b/.test(await focused(page, 'className')); presses++) {
    expect(presses).toBeLessThan(8)
    await page.keyboard.press('Tab')
  }
  await page.keyboard.press('Enter')
  await expect.poll(() => messageTexts(page)).toEqual(['Hi Kit'])
  expect([await page.locator('.pane').isVisible(), await page.locator('.groups').isVisible()]).toEqual([true, false])
  expect(await page.locator('#messages').getAttribute('aria-live')).toBe('polite')
  expect(await focused(page, 'id')).toBe('message') // the composer, ready to type
  await page.keyboard.type('Hi Jo')
  await page.keyboard.press('Enter')
  await expect.poll(() => messageTexts(page)).toEqual(['Hi Kit', 'Hi Jo'])
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390) // no sideways scrolling
  await page.getByRole('button', { name: 'Conversations' }).click()
  await expect.poll(() => listRows(page)).toEqual(['Jo Park @jo|Hi Jo|'])
  await context.close()
})
