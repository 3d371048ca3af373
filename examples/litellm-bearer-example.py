import os

import litellm

# A bearer request carries no signature, so no region: the endpoint's path prefix names it.
response = litellm.completion(
    model="bedrock/anthropic.claude-3-haiku-20240307-v1:0",
    messages=[{"role": "user", "content": "Hello from behind the geofence"}],
    aws_bedrock_runtime_endpoint=os.environ["AWS_BEDROCK_RUNTIME_ENDPOINT"] + "/us-west-2",
    api_key=os.environ["GEOFENCE_API_KEY"],
)
print(response.choices[0].message.content)
