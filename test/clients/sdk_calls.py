"""The SDKs of .cache/venv-sdk straight at the gateway: LiteLLM's newest SDK, and the official openai and anthropic
clients with a bearer key.

argv[1]: [{"name": ..., "call": <one of CALLS>, "client": {...}, "kwargs": {...}}, ...]. "client" goes to the
client's constructor (openai.OpenAI / anthropic.Anthropic); "kwargs" to the call. A call with "stream": true is read
to the end; its text is joined from the deltas.
"""
import asyncio

import anthropic
import litellm
import openai

from client_report import run_calls


def usage_dict(usage, *keys):
    if usage is None:
        return None
    as_dict = usage if isinstance(usage, dict) else usage.model_dump()
    return {key: as_dict.get(key) for key in keys}


def openai_chat(call):
    client = openai.OpenAI(max_retries=0, **call["client"])
    kwargs = call["kwargs"]
    response = client.chat.completions.create(**kwargs)
    if not kwargs.get("stream"):
        return {"text": response.choices[0].message.content, "usage": usage_dict(response.usage, "prompt_tokens", "completion_tokens")}
    text, events, usage = "", 0, None
    for chunk in response:
        events += 1
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
        usage = chunk.usage or usage
    return {"text": text, "events": events, "usage": usage_dict(usage, "prompt_tokens", "completion_tokens")}


def openai_responses(call):
    client = openai.OpenAI(max_retries=0, **call["client"])
    kwargs = call["kwargs"]
    response = client.responses.create(**kwargs)
    if not kwargs.get("stream"):
        return {"text": response.output_text, "usage": usage_dict(response.usage, "input_tokens", "output_tokens")}
    text, completed = "", None
    for event in response:
        if event.type == "response.output_text.delta":
            text += event.delta
        if event.type == "response.completed":
            completed = event.response
    return {"text": text, "usage": usage_dict(completed.usage if completed else None, "input_tokens", "output_tokens")}


def anthropic_messages(call):
    client = anthropic.Anthropic(max_retries=0, **call["client"])
    kwargs = call["kwargs"]
    if not kwargs.get("stream"):
        response = client.messages.create(**kwargs)
        return {"text": response.content[0].text, "usage": usage_dict(response.usage, "input_tokens", "output_tokens")}
    text = ""
    for event in client.messages.create(**kwargs):
        if event.type == "content_block_delta":
            text += event.delta.text
    return {"text": text}


def anthropic_count_tokens(call):
    client = anthropic.Anthropic(max_retries=0, **call["client"])
    return {"input_tokens": client.messages.count_tokens(**call["kwargs"]).input_tokens}


def litellm_completion(call):
    # No retries unless the call asks for them: a test that counts attempts sets num_retries itself.
    kwargs = {"num_retries": 0, **call["kwargs"]}
    response = litellm.completion(**kwargs)
    if not kwargs.get("stream"):
        return {"text": response.choices[0].message.content}
    text = ""
    for chunk in response:
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
    return {"text": text}


def litellm_responses(call):
    response = litellm.responses(num_retries=0, **call["kwargs"])
    return {"text": response.output[0].content[0].text}


def litellm_count_tokens(call):
    result = asyncio.run(litellm.acount_tokens(**call["kwargs"]))
    return {"total_tokens": result.total_tokens, "tokenizer_type": result.tokenizer_type, "error": result.error}


def litellm_anthropic_messages(call):
    response = litellm.anthropic.messages.create(**call["kwargs"])
    if isinstance(response, dict):
        return {"text": response["content"][0]["text"]}
    return {"text": response.content[0].text}


CALLS = {
    "openai_chat": openai_chat,
    "openai_responses": openai_responses,
    "anthropic_messages": anthropic_messages,
    "anthropic_count_tokens": anthropic_count_tokens,
    "litellm_completion": litellm_completion,
    "litellm_responses": litellm_responses,
    "litellm_count_tokens": litellm_count_tokens,
    "litellm_anthropic_messages": litellm_anthropic_messages,
}

run_calls(lambda call: CALLS[call["call"]](call))
