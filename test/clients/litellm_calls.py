"""LiteLLM SDK calls, as LiteLLM users write them.

argv[1]: [{"name": ..., "call": "completion" | "embedding" | "count_tokens" | "rerank" | "vector_store_search",
"kwargs": {...}, "environ": {...}}, ...]; the kwargs go to litellm.completion / embedding / acount_tokens / rerank /
vector_stores.search unchanged.
"environ" (optional) sets variables before the call, or removes those given as null: LiteLLM reads some settings
only from the environment. A completion with "stream": true is read to the end.
Prints what LiteLLM returned: text, finish reason and usage; for embeddings the vectors and usage; for
count_tokens the count and which tokenizer produced it.
"""
import asyncio
import os

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


def count_tokens(kwargs):
    response = asyncio.run(litellm.acount_tokens(**kwargs))
    return {"total_tokens": response.total_tokens, "tokenizer_type": response.tokenizer_type}


def rerank(kwargs):
    response = litellm.rerank(**kwargs)
    return {"results": response.results}


def vector_store_search(kwargs):
    response = litellm.vector_stores.search(**kwargs)
    return {"results": [{"score": item["score"], "text": item["content"][0]["text"]} for item in response["data"]]}


def set_environ(changes):
    for name, value in changes.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


CALLS = {
    "completion": completion,
    "embedding": embedding,
    "count_tokens": count_tokens,
    "rerank": rerank,
    "vector_store_search": vector_store_search,
}


def run_one(call):
    set_environ(call.get("environ", {}))
    return CALLS[call["call"]](call["kwargs"])


run_calls(run_one)
