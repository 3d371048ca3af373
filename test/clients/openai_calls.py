"""The official OpenAI client against LiteLLM's proxy server (OPENAI_BASE_URL, OPENAI_API_KEY from the environment).

argv[1]: [{"name": ..., "call": "chat" | "embeddings", "kwargs": {...}}, ...]; kwargs go to
client.chat.completions.create / client.embeddings.create. A chat with "stream": true is read to the end.
"""
import openai

from client_report import run_calls

client = openai.OpenAI()


def usage_of(usage):
    return None if usage is None else usage.model_dump(include={"prompt_tokens", "completion_tokens", "total_tokens"})


def chat(kwargs):
    response = client.chat.completions.create(**kwargs)
    if not kwargs.get("stream"):
        choice = response.choices[0]
        return {"text": choice.message.content, "finish_reason": choice.finish_reason, "usage": usage_of(response.usage)}
    text, deltas, finish_reason, usage = "", 0, None, None
    for chunk in response:
        if chunk.choices:
            if chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
                deltas += 1
            finish_reason = chunk.choices[0].finish_reason or finish_reason
        usage = chunk.usage or usage
    return {"text": text, "deltas": deltas, "finish_reason": finish_reason, "usage": usage_of(usage)}


def embeddings(kwargs):
    response = client.embeddings.create(**kwargs)
    return {"vectors": [item.embedding for item in response.data], "usage": usage_of(response.usage)}


CALLS = {"chat": chat, "embeddings": embeddings}

run_calls(lambda call: CALLS[call["call"]](call["kwargs"]))
