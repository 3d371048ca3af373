"""boto3 bedrock-runtime calls with default client settings, credentials from the environment.

argv[1]: [{"name": ..., "endpoint_url": ..., "region": ..., "operation": "converse" | ..., "params": {...}}, ...]
Prints each response without ResponseMetadata: event streams become lists of events (InvokeModel chunks
decoded from JSON), InvokeModel bodies are parsed JSON.
"""
import json

import boto3
from botocore.eventstream import EventStream
from botocore.response import StreamingBody

from client_report import run_calls

clients = {}


def client_for(endpoint_url, region):
    key = (endpoint_url, region)
    if key not in clients:
        clients[key] = boto3.client("bedrock-runtime", endpoint_url=endpoint_url, region_name=region)
    return clients[key]


def plain_event(event):
    if "chunk" in event:
        return {"chunk": json.loads(event["chunk"]["bytes"])}
    return event


def plain(response):
    response.pop("ResponseMetadata", None)
    for key, value in list(response.items()):
        if isinstance(value, EventStream):
            response[key] = [plain_event(event) for event in value]
        elif isinstance(value, StreamingBody):
            response[key] = json.loads(value.read())
    return response


def call_operation(call):
    client = client_for(call["endpoint_url"], call["region"])
    params = dict(call["params"])
    if "body" in params and not isinstance(params["body"], str):
        params["body"] = json.dumps(params["body"])
    return plain(getattr(client, call["operation"])(**params))


run_calls(call_operation)
