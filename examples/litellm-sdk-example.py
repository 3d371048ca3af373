import os

import litellm

response = litellm.completion(
    model="bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0",
    messages=[{"role": "user", "content": "Hello from behind the geofence"}],
    aws_bedrock_runtime_endpoint=os.environ["AWS_BEDROCK_RUNTIME_ENDPOINT"],
    aws_region_name="us-east-1",
    aws_access_key_id=os.environ["GEOFENCE_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["GEOFENCE_SECRET_ACCESS_KEY"],
)
print(response.choices[0].message.content)
