import { paginate } from '../pagination.ts'
import { jsonBodyOrRefuse, type RuntimeContext } from './context.ts'

const DEFAULT_PAGE_SIZE = 1000

export async function answerStartAsyncInvoke (context: RuntimeContext): Promise<void> {
  const request = jsonBodyOrRefuse(context)
  if (request === undefined) return
  if (typeof request.modelId !== 'string' || request.modelId === '' || request.outputDataConfig === undefined) {
    context.exchange.sendError('ValidationException', "StartAsyncInvoke needs 'modelId', 'modelInput' and 'outputDataConfig'.")
    return
  }
  const token = typeof request.clientRequestToken === 'string' ? request.clientRequestToken : undefined
  const invocation = context.asyncInvokes.start(context.region, request.modelId, request.outputDataConfig, token)
  await context.exchange.sendJson(200, { invocationArn: invocation.invocationArn })
}

export async function answerGetAsyncInvoke (context: RuntimeContext): Promise<void> {
  const invocationArn = context.route.labels[0] as string
  const invocation = context.asyncInvokes.get(invocationArn)
  if (invocation === undefined) {
    context.exchange.sendError('ResourceNotFoundException', `The async invocation ${invocationArn} does not exist.`)
    return
  }
  await context.exchange.sendJson(200, invocation)
}

export async function answerListAsyncInvokes (context: RuntimeContext): Promise<void> {
  const { query } = context.route
  const statusEquals = query.get('statusEquals')
  const invocations = context.asyncInvokes.list().filter(invocation => statusEquals === null || invocation.status === statusEquals)
  const page = paginate(invocations, query.get('maxResults'), query.get('nextToken'), DEFAULT_PAGE_SIZE)
  if (!page.ok) {
    context.exchange.sendError('ValidationException', page.message)
    return
  }
  await context.exchange.sendJson(200, {
    asyncInvokeSummaries: page.items,
    ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken })
  })
}
