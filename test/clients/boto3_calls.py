"""boto3 bedrock-runtime calls with default client settings, credentials from the environment.

argv[1]: [{"name": ..., "endpoint_url": ..., "region": ..., "operation": "converse" | ..., "params": {...},
"service": "bedrock-agent-runtime" (optional, default bedrock-runtime)}, ...]
Prints each response without ResponseMetadata: event streams become lists of events (InvokeModel chunks
decoded from JSON, InvokeAgent chunks as text), InvokeModel bodies are parsed JSON.
"""
import json

import boto3
from botocore.eventstream import EventStream
from botocore.response import StreamingBody

from client_report import run_calls

clients = {}


def client_for(endpoint_url, region, service):
    key = (endpoint_url, region, service)
    if key not in clients:
        clients[key] = boto3.client(service, endpoint_url=endpoint_url, region_name=region)
    return clients[key]


def plain_event(event, service):
    if "chunk" in event:
        data = event["chunk"]["bytes"]
        # An agent's chunks are text; InvokeModel's are the model's JSON.
        return {"chunk": data.decode("utf-8") if service == "bedrock-agent-runtime" else json.loads(data)}
    return event


def plain(response, service):
    response.pop("ResponseMetadata", None)
    for key, value in list(response.items()):
        if isinstance(value, EventStream):
            response[key] = [plain_event(event, service) for event in value]
        elif isinstance(value, StreamingBody):
            response[key] = json.loads(value.read())
    return response


def call_operation(call):
    service = call.get("service", "bedrock-runtime")
    client = client_for(call["endpoint_url"], call["region"], service)
    params = dict(call["params"])
    if "body" in params and not isinstance(params["body"], str):
        params["body"] = json.dumps(params["body"])
    return plain(getattr(client, call["operation"])(**params), service)


run_calls(call_operation)
