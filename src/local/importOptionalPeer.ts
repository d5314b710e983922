/**
 * Loads an optional peer dependency when a function first needs it, never when `dynamo-messaging/local` is imported:
 * a project without it can still use everything else. If the package is not installed, the error says what to do;
 * any other failure (a broken install, an error inside the package) is rethrown as it is.
 *
 * @param name the package, as its "not found" error names it
 * @param load `() => import('<name>')`, written out so that bundlers see the specifier
 * @param missing the message when it is not installed: what needs it and how to install it
 *
 * @example
 * ```ts
 * const sdk = await importOptionalPeer(
 *   '@aws-sdk/client-dynamodb-streams',
 *   () => import('@aws-sdk/client-dynamodb-streams'),
 *   'The local stream worker needs @aws-sdk/client-dynamodb-streams: run `npm install --save-dev @aws-sdk/client-dynamodb-streams`.'
 * )
 * ```
 */
export async function importOptionalPeer<T>(name: string, load: () => Promise<T>, missing: string): Promise<T> {
  try {
    return await load()
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
    // ESM says "Cannot find package 'x'", CommonJS "Cannot find module 'x'"; a missing file of x names a path instead.
    const notInstalled =
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(message).includes(`'${name}'`)
    if (!notInstalled) throw error
    throw new Error(missing, { cause: error })
  }
}
