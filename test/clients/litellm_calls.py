"""LiteLLM SDK calls, as LiteLLM users write them.

argv[1]: [{"name": ..., "call": "completion" | "embedding", "kwargs": {...}}, ...]; the kwargs go to
litellm.completion / litellm.embedding unchanged. A completion with "stream": true is read to the end.
Prints what LiteLLM returned: text, finish reason and usage; for embeddings the vectors and usage.
"""
import litellm

from client_report import run_calls


def usage_of(usage):
    if usage is None:
        return None
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }


def read_stream(chunks):
    text, deltas, finish_reason, usage = "", 0, None, None
    for chunk in chunks:
        if chunk.choices:
            choice = chunk.choices[0]
            if choice.delta.content:
                text += choice.delta.content
                deltas += 1
            finish_reason = choice.finish_reason or finish_reason
        usage = getattr(chunk, "usage", None) or usage
    return {"text": text, "deltas": deltas, "finish_reason": finish_reason, "usage": usage_of(usage)}


def completion(kwargs):
    response = litellm.completion(**kwargs)
    if kwargs.get("stream"):
        return read_stream(response)
    choice = response.choices[0]
    return {
        "text": choice.message.content,
        "finish_reason": choice.finish_reason,
        "usage": usage_of(response.usage),
    }


def embedding(kwargs):
    response = litellm.embedding(**kwargs)
    return {
        "vectors": [item["embedding"] for item in response.data],
        "usage": usage_of(response.usage),
    }


CALLS = {"completion": completion, "embedding": embedding}

run_calls(lambda call: CALLS[call["call"]](call["kwargs"]))
