"""A Nova Sonic session through the gateway with aws_sdk_bedrock_runtime, the SDK LiteLLM's realtime support uses.

    python bedrock_runtime_bidi.py GATEWAY_URL CA_FILE MODEL_ID EVENTS

Signs with GEOFENCE_ACCESS_KEY_ID / GEOFENCE_SECRET_ACCESS_KEY, sends EVENTS chunk events (each waits for the echo
of the one before) and prints one JSON line: {"received": [...]} with every output chunk's text, or
{"error": NAME, "message": TEXT} when the call or the stream failed.
"""
import asyncio
import json
import os
import sys

from awscrt import io as crt_io
from aws_sdk_bedrock_runtime.client import AsyncBedrockRuntimeClient
from aws_sdk_bedrock_runtime.config import AsyncBedrockRuntimeConfig
from aws_sdk_bedrock_runtime.models import (
    BidirectionalInputPayloadPart,
    InvokeModelWithBidirectionalStreamInputChunk,
    InvokeModelWithBidirectionalStreamOperationInput,
)
from smithy_http.aio.crt import AWSCRTHTTPClient

WAIT_SECONDS = 20


def http2_transport(ca_file: str) -> AWSCRTHTTPClient:
    """The awscrt client (HTTP/2 by ALPN), trusting the test CA; it has no public setting for one."""
    transport = AWSCRTHTTPClient()
    options = crt_io.TlsContextOptions()
    options.override_default_trust_store_from_path(ca_filepath=ca_file)
    transport._tls_ctx = crt_io.ClientTlsContext(options)
    return transport


async def session(url: str, ca_file: str, model_id: str, events: int) -> dict:
    config = await AsyncBedrockRuntimeConfig.resolve(
        endpoint_uri=url,
        region="us-east-1",
        transport=http2_transport(ca_file),
        aws_access_key_id=os.environ["GEOFENCE_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["GEOFENCE_SECRET_ACCESS_KEY"],
    )
    client = AsyncBedrockRuntimeClient(config=config)
    stream = await client.invoke_model_with_bidirectional_stream(
        InvokeModelWithBidirectionalStreamOperationInput(model_id=model_id)
    )
    _, output = await stream.await_output()
    received = []
    for n in range(events):
        await stream.input_stream.send(
            InvokeModelWithBidirectionalStreamInputChunk(
                value=BidirectionalInputPayloadPart(bytes_=json.dumps({"event": n}).encode())
            )
        )
        event = await asyncio.wait_for(anext(output), WAIT_SECONDS)
        received.append(event.value.bytes_.decode())
    await stream.input_stream.close()
    return {"received": received}


async def main() -> None:
    url, ca_file, model_id, events = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    try:
        result = await session(url, ca_file, model_id, events)
    except Exception as error:  # the test reads what the SDK raised, by name
        result = {"error": type(error).__name__, "message": str(error)}
    print(json.dumps(result))


asyncio.run(main())
