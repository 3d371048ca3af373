import os

import litellm

# Rerank, a knowledge-base search and a Bedrock agent: bedrock-agent-runtime calls that LiteLLM also sends to
# aws_bedrock_runtime_endpoint, so the gateway checks them like any other.
gateway = {
    "aws_bedrock_runtime_endpoint": os.environ["AWS_BEDROCK_RUNTIME_ENDPOINT"],
    "aws_region_name": "us-east-1",
    "aws_access_key_id": os.environ["GEOFENCE_ACCESS_KEY_ID"],
    "aws_secret_access_key": os.environ["GEOFENCE_SECRET_ACCESS_KEY"],
}

ranked = litellm.rerank(
    model="bedrock/arn:aws:bedrock:us-east-1::foundation-model/amazon.rerank-v1:0",
    query="Which region is Paris in?",
    documents=["eu-west-3 is Paris", "us-east-1 is Virginia"],
    **gateway,
)
print([result["index"] for result in ranked.results])

found = litellm.vector_stores.search(
    vector_store_id="KBID012345",  # the knowledge base id
    query="Which regions may we use?",
    custom_llm_provider="bedrock",
    **gateway,
)
print(found["data"][0]["content"][0]["text"])

answer = litellm.completion(
    model="bedrock/agent/AGENT01234/ALIAS01234",  # bedrock/agent/<agent id>/<alias id>
    messages=[{"role": "user", "content": "Hello from behind the geofence"}],
    **gateway,
)
print(answer.choices[0].message.content)
