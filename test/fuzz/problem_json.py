"""Schemathesis check: every error the klachtflow API returns is application/problem+json with
status, title and detail (SPEC §6), and never a stack trace. Loaded with SCHEMATHESIS_HOOKS."""
import schemathesis


@schemathesis.check
def problem_json(ctx, response, case):
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/problem+json"), f"{response.status_code} answered as {content_type!r}, not application/problem+json"
    body = response.json()
    for field in ("status", "title", "detail"):
        assert field in body, f"problem without {field}: {body}"
    assert body["status"] == response.status_code, f"problem status {body['status']} on a {response.status_code} response"
    assert " at " not in body["detail"] or ".ts:" not in body["detail"], "a stack trace in the problem detail"
    return None
