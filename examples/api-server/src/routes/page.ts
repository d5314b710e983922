import { readFile } from 'node:fs/promises'
import { build } from 'esbuild'
import type { FastifyInstance } from 'fastify'

const WEB = new URL('../../web/', import.meta.url)

/**
 * Strict: the page's own script and style only, API calls and the event stream to this origin, no inline code, no
 * framing. User text never needs more, since the page renders it with `textContent`.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/** What the page needs to know before signing in. */
export interface PageConfig {
  /** `dev`: the page offers sign-in by handle (`Bearer dev:<handle>`); `cognito`: it does not. */
  auth: 'dev' | 'cognito'
  /** Whether `/api/events` exists (the stream worker runs in this process). */
  live: boolean
}

/**
 * The chat page at `/`: web/index.html, web/chat.css, web/favicon.svg (without an icon the browser asks for
 * /favicon.ico and logs its 404) and web/src/main.ts bundled by esbuild once, in memory, when the server starts (no
 * build step to forget, no stale bundle on disk).
 */
export async function pageRoutes(app: FastifyInstance, config: PageConfig): Promise<void> {
  const [html, css, icon, bundle] = await Promise.all([
    readFile(new URL('index.html', WEB), 'utf8'),
    readFile(new URL('chat.css', WEB), 'utf8'),
    readFile(new URL('favicon.svg', WEB), 'utf8'),
    build({
      entryPoints: [new URL('src/main.ts', WEB).pathname],
      bundle: true,
      write: false,
      format: 'esm',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent'
    })
  ])
  const js = bundle.outputFiles[0]!.text
  const files: Record<string, [type: string, body: string]> = {
    '/': ['text/html; charset=utf-8', html],
    '/chat.js': ['text/javascript; charset=utf-8', js],
    '/chat.css': ['text/css; charset=utf-8', css],
    '/favicon.svg': ['image/svg+xml', icon],
    '/chat-config.json': ['application/json; charset=utf-8', JSON.stringify(config)]
  }
  for (const [path, [type, body]] of Object.entries(files)) {
    app.get(path, async (_request, reply) =>
      reply
        .header('content-type', type)
        .header('content-security-policy', PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(body)
    )
  }
}
