import { CognitoJwtVerifier } from 'aws-jwt-verify'
import { FetchError, JwksNotAvailableInCacheError } from 'aws-jwt-verify/error'
import type { User, UserDirectory } from './users.js'

/** Who a request's bearer token says the caller is, before looking them up. */
export type Identity = { kind: 'cognito'; sub: string; username?: string } | { kind: 'dev'; handle: string }

/** The outcome of reading a token: an identity, or why there is none (for the logs, never the client). */
export type IdentifyResult =
  | { ok: true; identity: Identity }
  | { ok: false; reason: string; /** true when the server, not the token, is at fault (e.g. JWKS unreachable) */ serverFault?: boolean }

/** Turns an `Authorization` header into an identity. */
export interface Authenticator {
  readonly mode: 'cognito' | 'dev'
  identify(authorization: string | undefined): Promise<IdentifyResult>
}

export const DEV_AUTH_WARNING =
  'DEV AUTH IS ON: any caller can act as any user with `Authorization: Bearer dev:<handle>`. ' +
  'Set COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID to verify Cognito access tokens instead.'

/** Options of {@link cognitoAuth}. */
export interface CognitoAuthOptions {
  /** e.g. `us-east-1_AbCdEf123`; the issuer is `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  userPoolId: string
  /** The app client the front end signs in with: access tokens carry it as `client_id`. */
  clientId: string
}

/**
 * Verifies Cognito access tokens (signature against the pool's JWKS, issuer, expiry, `token_use: access`,
 * `client_id`) with aws-jwt-verify. The JWKS is downloaded on first use and cached; `verifier.cacheJwks(jwks)`
 * preloads it (the tests do, so they need no network).
 */
export function cognitoAuth(options: CognitoAuthOptions): CognitoAuthenticator {
  const verifier = accessTokenVerifier(options)
  return {
    mode: 'cognito',
    verifier,
    async identify(authorization: string | undefined): Promise<IdentifyResult> {
      const token = bearerToken(authorization)
      if (!token) return { ok: false, reason: 'no bearer token' }
      try {
        const payload = await verifier.verify(token)
        const username = typeof payload.username === 'string' ? payload.username : undefined
        return { ok: true, identity: { kind: 'cognito', sub: payload.sub, ...(username !== undefined && { username }) } }
      } catch (error) {
        // aws-jwt-verify's errors keep `name` "Error"; the class (JwtExpiredError, …) says what was wrong.
        const reason = `${(error as Error).constructor.name}: ${(error as Error).message}`
        const serverFault = error instanceof FetchError || error instanceof JwksNotAvailableInCacheError
        return { ok: false, reason, serverFault }
      }
    }
  }
}

const accessTokenVerifier = (options: CognitoAuthOptions) =>
  CognitoJwtVerifier.create({ userPoolId: options.userPoolId, clientId: options.clientId, tokenUse: 'access' })

/** A Cognito {@link Authenticator}; `verifier.cacheJwks(jwks)` preloads the pool's keys. */
export interface CognitoAuthenticator extends Authenticator {
  readonly mode: 'cognito'
  readonly verifier: ReturnType<typeof accessTokenVerifier>
}

/**
 * Local development without Cognito: `Authorization: Bearer dev:<handle>` signs in as that handle. Never use it where
 * anyone else can reach the server (`main.ts` refuses it when NODE_ENV=production).
 */
export function devAuth(): Authenticator {
  return {
    mode: 'dev',
    async identify(authorization) {
      const token = bearerToken(authorization)
      if (!token) return { ok: false, reason: 'no bearer token' }
      if (!token.startsWith('dev:') || token.length === 4) return { ok: false, reason: 'dev auth expects `Bearer dev:<handle>`' }
      return { ok: true, identity: { kind: 'dev', handle: token.slice(4) } }
    }
  }
}

/**
 * The directory's user for an identity: by Cognito `sub` (= cognito_user_id); failing that, by the token's `username`
 * as handle, but only for a user with no cognito_user_id on file (a user linked to another `sub` is never matched by
 * name: anyone can sign up with the username `ada`).
 */
export async function findUser(users: UserDirectory, identity: Identity): Promise<User | undefined> {
  if (identity.kind === 'dev') return users.findByHandle(identity.handle)
  const bySub = await users.findByCognitoId(identity.sub)
  if (bySub || identity.username === undefined) return bySub
  const byName = await users.findByHandle(identity.username)
  return byName && byName.cognitoUserId === undefined ? byName : undefined
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '')
  return match?.[1]
}
