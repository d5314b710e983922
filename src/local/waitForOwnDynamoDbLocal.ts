import { randomUUID } from 'node:crypto'

/**
 * Waits until the DynamoDB Local this process started answers at `endpoint`, and makes sure the answer is its own,
 * not that of whatever else listens on the port (another DynamoDB Local, any HTTP server). The process was started
 * with `-cors <origin>`, a random origin only this process knows, so it alone sends that origin back in
 * `Access-Control-Allow-Origin`; and it must not send back another origin (an engine that echoes every origin proves
 * nothing). Anything else that answers is foreign: this keeps waiting, since the caller also watches the process,
 * which exits when it cannot listen on a taken port, and fails at the deadline saying another process answers.
 *
 * @param signal ends the wait (with a rejection) when the caller no longer needs it, e.g. once the process has exited
 *
 * @example
 * ```ts
 * const origin = ownOrigin()
 * const child = spawnJava({ port, sharedDb: true, stdio: 'pipe', path: null }) // with -cors <origin>
 * await waitForOwnDynamoDbLocal(`http://127.0.0.1:${port}`, origin, { timeoutMs: 30_000, signal })
 * ```
 */
export async function waitForOwnDynamoDbLocal(
  endpoint: string,
  origin: string,
  options: { timeoutMs: number; signal: AbortSignal }
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs
  let foreign = false
  let lastError: unknown
  for (;;) {
    options.signal.throwIfAborted()
    try {
      if (await answersFor(endpoint, origin, options.signal)) {
        if (!(await answersFor(endpoint, ownOrigin(), options.signal))) return
        foreign = true // it allows any origin: not ours, which allows one
      } else {
        foreign = true
      }
    } catch (error) {
      options.signal.throwIfAborted()
      lastError = error // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        foreign
          ? `another process answers at ${endpoint}, not the DynamoDB Local started here: is the port taken?`
          : `DynamoDB Local did not answer at ${endpoint} within ${options.timeoutMs} ms: ${String(lastError)}`
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
}

/** A random origin for `-cors`, which nothing else answers for. */
export const ownOrigin = (): string => `http://${randomUUID()}.dynamo-messaging.invalid`

/**
 * Whether the engine at `endpoint` answers a ListTables from `origin` with 200 and that origin allowed. Rejects when
 * nothing answers (refused, reset, or no answer within 2 s).
 */
async function answersFor(endpoint: string, origin: string, signal: AbortSignal): Promise<boolean> {
  const request = new AbortController()
  const timer = setTimeout(() => request.abort(new Error('no answer within 2 s')), 2_000)
  const abort = () => request.abort(signal.reason)
  signal.addEventListener('abort', abort, { once: true })
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      signal: request.signal,
      headers: {
        origin,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        // DynamoDB Local reads the key id and region from it and checks no signature.
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0'
      },
      body: '{}'
    })
    await response.arrayBuffer()
    return response.status === 200 && response.headers.get('access-control-allow-origin') === origin
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', abort)
  }
}
