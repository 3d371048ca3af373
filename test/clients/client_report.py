"""Shared by the client scripts: run a JSON list of calls, report each result or exception as JSON on stdout.

A script calls run_calls(run_one). argv[1] is a JSON list of calls, each an object with a "name"; run_one(call)
returns something JSON-serialisable. stdout gets one JSON list, in call order:
  {"name": ..., "result": ...}   or
  {"name": ..., "error": {"error_type", "error_classes", "status_code", "message", "code"}}
Everything the libraries themselves print goes to stderr, so stdout stays parseable.
"""
import json
import sys


def qualified_name(cls):
    return f"{cls.__module__}.{cls.__name__}"


def error_report(error):
    """What a caller can see of an exception: its class and the classes an `except` could catch it by (all
    module-qualified), HTTP status, message, and botocore's error code."""
    response = getattr(error, "response", None)
    status_code = getattr(error, "status_code", None)
    code = None
    # botocore's ClientError carries the parsed Bedrock error as a dict.
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        status_code = response.get("ResponseMetadata", {}).get("HTTPStatusCode", status_code)
    return {
        "error_type": qualified_name(type(error)),
        "error_classes": [qualified_name(cls) for cls in type(error).__mro__],
        "status_code": status_code,
        "message": str(error),
        "code": code,
    }


def run_calls(run_one):
    calls = json.loads(sys.argv[1])
    stdout = sys.stdout
    # LiteLLM prints its help banners with print(); keep them out of the JSON.
    sys.stdout = sys.stderr
    results = []
    for call in calls:
        try:
            results.append({"name": call["name"], "result": run_one(call)})
        except Exception as error:  # every failure is a result the test asserts on
            results.append({"name": call["name"], "error": error_report(error)})
    stdout.write(json.dumps(results, default=str))
    stdout.flush()
