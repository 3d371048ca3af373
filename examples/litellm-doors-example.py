import os

import litellm

gateway = os.environ["AWS_BEDROCK_RUNTIME_ENDPOINT"]
key_pair = {
    "aws_access_key_id": os.environ["GEOFENCE_ACCESS_KEY_ID"],
    "aws_secret_access_key": os.environ["GEOFENCE_SECRET_ACCESS_KEY"],
}
messages = [{"role": "user", "content": "Hello from behind the geofence"}]

# bedrock-runtime's OpenAI Chat Completions (/openai/v1/chat/completions): aws_bedrock_runtime_endpoint.
chat = litellm.completion(
    model="bedrock/chat_completions/openai.gpt-oss-20b-1:0",
    messages=messages,
    aws_bedrock_runtime_endpoint=gateway,
    aws_region_name="us-east-1",
    **key_pair,
)
print(chat.choices[0].message.content)

# bedrock-mantle: BEDROCK_MANTLE_API_BASE (or a deployment's api_base) is the gateway's /mantle, plus /v1.
os.environ["BEDROCK_MANTLE_API_BASE"] = gateway + "/mantle/v1"
mantle = litellm.completion(
    model="bedrock_mantle/anthropic.claude-opus-4-8",
    messages=messages,
    max_tokens=256,
    aws_region_name="us-east-1",
    **key_pair,
)
print(mantle.choices[0].message.content)
