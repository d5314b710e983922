// @ts-check
/**
 * TypeDoc plugin: the documentation rules that TypeDoc's own `notDocumented` validation cannot express.
 *
 * 1. Every symbol an entry point exports (function, class, interface, type alias, variable, enum) has an `@example`.
 * 2. Every own member (property, method, accessor) of an exported interface or class has a comment.
 *
 * Rule 2 stands in for `Property` in `requiredToBeDocumented`: TypeDoc applies that to every property it converts,
 * including those of the types it expands from dynamodb-toolbox's generics (the return type of createMessagingTable),
 * which are not ours to document. Each problem is a warning, so `typedoc --treatWarningsAsErrors` fails on it.
 */
import { Application, ReflectionKind } from 'typedoc'

const EXPORTED =
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Variable |
  ReflectionKind.Enum
const MEMBER = ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor | ReflectionKind.EnumMember

/** The comment of a reflection, or of its first documented signature (functions, methods, accessors). */
function commentOf(reflection) {
  if (reflection.comment) return reflection.comment
  const signatures = [
    ...(reflection.signatures ?? []),
    ...(reflection.getSignature ? [reflection.getSignature] : []),
    ...(reflection.type?.type === 'reflection' ? (reflection.type.declaration.signatures ?? []) : [])
  ]
  return signatures.find((signature) => signature.comment)?.comment
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const modules = project.children?.every((child) => child.kindOf(ReflectionKind.Module))
    const entryPoints = modules ? (project.children ?? []) : [project]
    for (const entryPoint of entryPoints) {
      // Re-exports of a symbol another entry point defines are References, checked where the symbol is defined.
      for (const symbol of entryPoint.children ?? []) {
        if (!symbol.kindOf(EXPORTED)) continue
        const kind = ReflectionKind[symbol.kind]
        const comment = commentOf(symbol)
        const name = `${symbol.getFriendlyFullName()} (${kind})`
        if (!comment) app.logger.warn(`${name} has no documentation`)
        else if (!comment.getTag('@example')) app.logger.warn(`${name} has no @example block`)
        if (!symbol.kindOf(ReflectionKind.ClassOrInterface | ReflectionKind.Enum)) continue
        for (const member of symbol.children ?? []) {
          // Inherited members are checked on the type that declares them.
          if (!member.kindOf(MEMBER) || member.inheritedFrom || commentOf(member)) continue
          app.logger.warn(`${member.getFriendlyFullName()} (${ReflectionKind[member.kind]}) has no documentation`)
        }
      }
    }
  })
}
