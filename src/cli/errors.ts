import { MessagingError } from '../errors/MessagingError.js'
import { ValidationError } from '../errors/ValidationError.js'
import { singleLine } from './format.js'

/** A problem the user can fix; its message is printed as it is, after `error: `. */
export class CliError extends Error {
  override readonly name = 'CliError'
}

/** Where a command talked to, for error messages: an endpoint, or an AWS region with `--prod`. */
export interface Target {
  readonly prod: boolean
  readonly endpoint?: string
  readonly region: string
  readonly tableName: string
}

export const describeTarget = (target: Target): string =>
  target.prod ? `AWS region ${target.region}` : (target.endpoint ?? 'the default endpoint')

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'])

/**
 * One line saying what went wrong and, where it is obvious, what to do. SDK errors keep their name so they can be
 * searched for; stack traces are never shown.
 */
export function describeError(error: unknown, target?: Target): string {
  if (error instanceof CliError) return singleLine(error.message)
  if (error instanceof ValidationError) {
    return singleLine(error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '))
  }
  if (error instanceof MessagingError) return singleLine(error.message)
  const err = (error ?? {}) as { name?: string; message?: string; code?: string; errors?: { code?: string }[] }
  const name = err.name ?? 'Error'
  const code = err.code ?? err.errors?.find((inner) => inner.code)?.code
  if (target && name === 'ResourceNotFoundException') {
    return `table "${target.tableName}" not found at ${describeTarget(target)} (create it with \`dynamo-messaging schema-load\`)`
  }
  if (target && code && NETWORK_CODES.has(code)) {
    return target.prod
      ? `cannot reach DynamoDB in ${target.region} (${code})`
      : `cannot reach DynamoDB at ${target.endpoint} (${code}); start one with \`dynamo-messaging local\` or pass --endpoint`
  }
  if (name === 'CredentialsProviderError') return `no AWS credentials found: ${firstLine(err.message)}`
  const message = firstLine(err.message) || code || 'unknown error'
  return name === 'Error' || message.startsWith(name) ? message : `${name}: ${message}`
}

const firstLine = (text: string | undefined): string => (text ?? '').trim().split('\n', 1)[0]!.trim()
