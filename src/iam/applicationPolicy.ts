import { Validator } from '../validation/validate.js'
import { INBOX_INDEX, UNREAD_INDEX } from '../table/tableDefinition.js'

/**
 * A method of {@link MessagingClient} whose DynamoDB calls {@link applicationPolicy} can allow.
 *
 * @example
 * ```ts
 * const readOnly: MessagingOperation[] = ['listMessages', 'listMessageGroups', 'countUnread']
 * ```
 */
export type MessagingOperation =
  | 'listMessages'
  | 'listMessageGroups'
  | 'createMessage'
  | 'createMessageGroup'
  | 'updateMessageGroups'
  | 'getParticipants'
  | 'markRead'
  | 'countUnread'
  | 'createGroup'
  | 'addMembers'
  | 'removeMember'
  | 'renameGroup'
  | 'setMemberRole'
  | 'listMembers'

/** The DynamoDB actions the library's data calls need (no IAM action exists for TransactWriteItems itself). */
type DynamoDbAction = 'Query' | 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem'

interface Grant {
  /** Actions on the table itself. */
  readonly table: readonly DynamoDbAction[]
  /** Indexes the operation queries. */
  readonly indexes?: readonly string[]
}

// What each operation sends, from the code. A transaction's parts are authorised as their own actions (Put as PutItem,
// ConditionCheck as ConditionCheckItem; DynamoDB has no TransactWriteItems action). Only a group's membership changes
// delete or check a condition alone; nothing scans or writes in batches.
const GRANTS: Readonly<Record<MessagingOperation, Grant>> = {
  // Pattern A's Query; the viewer's membership item (GetItem) when viewerUuid is given.
  listMessages: { table: ['Query', 'GetItem'] },
  // Pattern B reads the inbox index only.
  listMessageGroups: { table: [], indexes: [INBOX_INDEX] },
  // Membership and the stored message on a retry (GetItem), the message (PutItem), the sender's row (UpdateItem).
  createMessage: { table: ['GetItem', 'PutItem', 'UpdateItem'] },
  // The starting transaction's Puts, the conversation slot (GetItem), and createMessage's calls into an existing one.
  createMessageGroup: { table: ['GetItem', 'PutItem', 'UpdateItem'] },
  // Pattern D: the conversation and messages (Query), the members' rows (BatchGetItem, GetItem), each row (UpdateItem).
  updateMessageGroups: { table: ['Query', 'BatchGetItem', 'GetItem', 'UpdateItem'] },
  getParticipants: { table: ['Query'] },
  // Membership and the row (GetItem), the newest message and the recount (Query), the row (UpdateItem).
  markRead: { table: ['Query', 'GetItem', 'UpdateItem'] },
  // The unread index's keys, then the rows they name (BatchGetItem).
  countUnread: { table: ['BatchGetItem'], indexes: [UNREAD_INDEX] },
  // The group, memberships and rows (transactions of Puts and an Update of the count), a retry's checks (GetItem,
  // BatchGetItem of the members already written), then createMessage's calls for the first message.
  createGroup: { table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'] },
  // The actor's role (GetItem, then a ConditionCheck in each transaction), who is already in (BatchGetItem), the join
  // point (Query), Puts and the count.
  addMembers: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'] },
  // The actor's and the member's roles (GetItem, Query for a successor), then Deletes, the count and a hand-off.
  removeMember: { table: ['GetItem', 'Query', 'DeleteItem', 'UpdateItem', 'ConditionCheckItem'] },
  renameGroup: { table: ['GetItem', 'UpdateItem', 'ConditionCheckItem'] },
  setMemberRole: { table: ['GetItem', 'UpdateItem', 'ConditionCheckItem'] },
  // The viewer's membership (GetItem), the membership items (Query), the members' rows for their read markers.
  listMembers: { table: ['GetItem', 'Query', 'BatchGetItem'] }
}

/**
 * Every {@link MessagingOperation}, the default of {@link ApplicationPolicyOptions.operations}.
 *
 * @example
 * ```ts
 * const withoutPatternD = MESSAGING_OPERATIONS.filter((operation) => operation !== 'updateMessageGroups')
 * ```
 */
export const MESSAGING_OPERATIONS: readonly MessagingOperation[] = Object.keys(GRANTS) as MessagingOperation[]

/**
 * Options of {@link applicationPolicy}.
 *
 * @example
 * ```ts
 * const options: ApplicationPolicyOptions = {
 *   tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages',
 *   operations: ['listMessages', 'listMessageGroups', 'createMessage', 'createMessageGroup', 'markRead']
 * }
 * ```
 */
export interface ApplicationPolicyOptions {
  /**
   * The table's ARN, `arn:<partition>:dynamodb:<region>:<account>:table/<name>`, without wildcards. A CDK token
   * (`table.tableArn`) is accepted too: the index ARNs are built by appending to it, which CDK resolves at synth.
   */
  tableArn: string
  /** The methods your application calls. Default: all of them ({@link MESSAGING_OPERATIONS}). */
  operations?: readonly MessagingOperation[]
}

/**
 * One statement of the policy {@link applicationPolicy} returns: IAM's JSON shape, so it can be pasted, written to a
 * file or given to CDK's `iam.PolicyStatement.fromJson`.
 *
 * @example
 * ```ts
 * const statement: IamPolicyStatement = { Sid: 'MessagingTable', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: tableArn }
 * ```
 */
export interface IamPolicyStatement {
  /** `MessagingTable`, `MessagingInboxIndex` or `MessagingUnreadIndex`. */
  Sid: string
  /** Always `Allow`: the policy grants, it never denies. */
  Effect: 'Allow'
  /** `dynamodb:<Action>` names, sorted; never a wildcard. */
  Action: string[]
  /** The table's ARN, or an index's (`<table ARN>/index/<name>`). */
  Resource: string
}

/**
 * An IAM policy document (version `2012-10-17`).
 *
 * @example
 * ```ts
 * const document: IamPolicyDocument = applicationPolicy({ tableArn })
 * console.log(JSON.stringify(document, null, 2))
 * ```
 */
export interface IamPolicyDocument {
  /** IAM's policy language version. */
  Version: '2012-10-17'
  /** One statement for the table, one per index the operations read. */
  Statement: IamPolicyStatement[]
}

// arn:<partition>:dynamodb:<region>:<account>:table/<name>; any field may be a CDK token, stood in for by NUL.
const TABLE_ARN = /^arn:([a-z-]+|\0):dynamodb:([a-z0-9-]+|\0):([0-9]{12}|\0):table\/([A-Za-z0-9_.-]{3,255}|\0)$/
const CDK_TOKEN = /\$\{Token\[[^\]]+\]\}/g

/**
 * The least-privilege IAM policy for your application's own role (the server or Lambda that calls
 * {@link createMessaging}), for the operations it uses: only the DynamoDB actions those calls send, on the table and
 * on the two indexes it reads (`inbox-index` for `listMessageGroups`, `unread-index` for `countUnread`). No wildcard
 * action, no Scan, no DeleteItem, no BatchWriteItem, no table management. The stream Lambda's own policy is in
 * examples/stream-lambda/infra. A bad `tableArn` (not a table's ARN, or with a wildcard) or an unknown operation is a
 * {@link ValidationError}.
 *
 * @example
 * ```ts
 * import { applicationPolicy } from 'dynamo-messaging'
 *
 * const policy = applicationPolicy({ tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages' })
 * console.log(JSON.stringify(policy, null, 2)) // paste into IAM, or:
 * // CDK: for (const statement of policy.Statement) fn.addToRolePolicy(iam.PolicyStatement.fromJson(statement))
 * ```
 */
export function applicationPolicy(options: ApplicationPolicyOptions): IamPolicyDocument {
  const check = new Validator()
  const fields = check.object('options', options)
  const tableArn = fields.tableArn
  if (typeof tableArn !== 'string' || !isTableArn(tableArn)) {
    check.fail('tableArn', 'table_arn_invalid', 'must be a table ARN like arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages, without wildcards')
  }
  const operations = fields.operations ?? MESSAGING_OPERATIONS
  if (!Array.isArray(operations) || operations.length === 0) {
    check.fail('operations', 'operations_invalid', `must be a non-empty list of: ${MESSAGING_OPERATIONS.join(', ')}`)
  } else {
    operations.forEach((operation: unknown, index) => {
      if (!MESSAGING_OPERATIONS.includes(operation as MessagingOperation)) {
        check.fail(`operations.${index}`, 'operation_unknown', `must be one of: ${MESSAGING_OPERATIONS.join(', ')}`)
      }
    })
  }
  check.done()

  const grants = (operations as readonly MessagingOperation[]).map((operation) => GRANTS[operation])
  const tableActions = new Set(grants.flatMap((grant) => grant.table))
  const indexes = new Set(grants.flatMap((grant) => grant.indexes ?? []))
  const arn = tableArn as string
  const statements: IamPolicyStatement[] = []
  if (tableActions.size > 0) {
    const actions = [...tableActions].sort().map((action) => `dynamodb:${action}`)
    statements.push({ Sid: 'MessagingTable', Effect: 'Allow', Action: actions, Resource: arn })
  }
  // Index order as in tableDefinition(), so the document is the same whatever order the operations came in.
  for (const index of [INBOX_INDEX, UNREAD_INDEX].filter((name) => indexes.has(name))) {
    statements.push({ Sid: sidOf(index), Effect: 'Allow', Action: ['dynamodb:Query'], Resource: `${arn}/index/${index}` })
  }
  return { Version: '2012-10-17', Statement: statements }
}

function isTableArn(value: string): boolean {
  if (/[*?\0]/.test(value)) return false
  // A whole token is a new table's Fn::GetAtt (CDK checks it); fromTableName's Fn::Join keeps the ARN's shape.
  const stoodIn = value.replace(CDK_TOKEN, '\0')
  return stoodIn === '\0' || TABLE_ARN.test(stoodIn)
}

/** `inbox-index` -> `MessagingInboxIndex` (a Sid is alphanumeric). */
function sidOf(index: string): string {
  return `Messaging${index.split('-').map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')}`
}
