import t from 'tap'
import { parseAgentAlias, parseAgentModels, parseFlowAlias, parseFlowReferences } from '../../src/routing/agent-control-plane-answers.ts'

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'
const node = (configuration: unknown): unknown => ({ name: 'n', type: 'x', configuration })

t.test('an agent alias routes to its versions, or to a provisioned throughput', async (t) => {
  t.strictSame(parseAgentAlias({ agentAlias: { routingConfiguration: [{ agentVersion: '3' }, { provisionedThroughput: 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abcdefabcdef' }] } }), [
    { kind: 'version', value: '3', field: 'agentVersion 3' },
    { kind: 'provisioned-throughput', value: 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abcdefabcdef', field: 'routingConfiguration[1].provisionedThroughput' }
  ])
})

t.test('an agent alias without routes is not an answer the gateway can use', async (t) => {
  t.throws(() => parseAgentAlias({ agentAlias: { routingConfiguration: [] } }), /routingConfiguration is empty/)
})

t.test('an agent version names its foundation model and its prompt overrides\' models', async (t) => {
  t.strictSame(parseAgentModels({ agentVersion: { foundationModel: MODEL, promptOverrideConfiguration: { promptConfigurations: [{ foundationModel: `us.${MODEL}` }, {}] } } }, 'agentVersion'), [
    { kind: 'model', value: MODEL, field: 'foundationModel' },
    { kind: 'model', value: `us.${MODEL}`, field: 'promptConfigurations[0].foundationModel' }
  ])
})

t.test('an agent without a foundation model is not an answer the gateway can use', async (t) => {
  t.throws(() => parseAgentModels({ agent: { agentCollaboration: 'DISABLED' } }, 'agent'), /names no foundationModel/)
})

t.test('a flow alias routes to its versions', async (t) => {
  t.strictSame(parseFlowAlias({ routingConfiguration: [{ flowVersion: '2' }] }), ['2'])
})

t.test('a flow definition\'s prompt, knowledge base, agent and loop nodes are read', async (t) => {
  const agentArn = 'arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT01234/ALIAS01234'
  const references = parseFlowReferences({
    definition: {
      nodes: [
        node({ input: {} }),
        node({ prompt: { sourceConfiguration: { inline: { modelId: MODEL } } } }),
        node({ knowledgeBase: { knowledgeBaseId: 'KB', modelId: `us.${MODEL}` } }),
        node({ agent: { agentAliasArn: agentArn } }),
        node({ loop: { definition: { nodes: [node({ prompt: { sourceConfiguration: { resource: { promptArn: 'arn:aws:bedrock:us-east-1:111122223333:prompt/PROMPT1234' } } } })] } } })
      ]
    }
  })
  t.strictSame(references.map(({ kind, value }) => [kind, value]), [
    ['model', MODEL], ['model', `us.${MODEL}`], ['agent-alias', agentArn], ['prompt', 'arn:aws:bedrock:us-east-1:111122223333:prompt/PROMPT1234']
  ])
})

t.test('a flow node of a kind the gateway does not know fails closed', async (t) => {
  t.throws(() => parseFlowReferences({ definition: { nodes: [node({ speech: { modelId: MODEL } })] } }), /node kind the gateway cannot place/)
})

t.test('a flow answer without its definition fails closed', async (t) => {
  t.throws(() => parseFlowReferences({ name: 'f' }), /definition is missing/)
})
