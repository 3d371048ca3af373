import os

import anthropic
import openai

gateway = os.environ["AWS_BEDROCK_RUNTIME_ENDPOINT"]
# A bearer key carries no region: the path prefix names it.
api_key = os.environ["GEOFENCE_API_KEY"]
messages = [{"role": "user", "content": "Hello from behind the geofence"}]

# bedrock-runtime's OpenAI-compatible API.
runtime = openai.OpenAI(base_url=gateway + "/us-east-1/openai/v1", api_key=api_key)
print(runtime.chat.completions.create(model="openai.gpt-oss-20b-1:0", messages=messages).choices[0].message.content)

# bedrock-mantle's OpenAI-compatible API.
mantle = openai.OpenAI(base_url=gateway + "/us-east-1/mantle/v1", api_key=api_key)
print(mantle.responses.create(model="openai.gpt-oss-120b", input="Hello from behind the geofence").output_text)

# bedrock-mantle's Anthropic Messages API: the key goes in Authorization, as auth_token.
claude = anthropic.Anthropic(base_url=gateway + "/us-east-1/mantle/anthropic", auth_token=api_key)
print(claude.messages.create(model="anthropic.claude-opus-4-8", max_tokens=256, messages=messages).content[0].text)
