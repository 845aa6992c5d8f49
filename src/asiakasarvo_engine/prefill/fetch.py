"""Fetching a company's record from the PRH open-data API v3, when the user asks for it.

``GET {base}/companies?businessId=...`` answers the JSON that :mod:`.record` reads (the
same as a saved record file). The base URL is :data:`DEFAULT_BASE_URL`, or the
environment variable :data:`BASE_URL_ENV`, or what the caller gives (``--prh-url``), so a
test or a mirror can stand in. Only the standard library speaks HTTP here; every failure
is a :class:`~asiakasarvo_engine.errors.LoadError` with a REG code that names the URL:
REG-020 a business id that is not one, REG-021 the register cannot be reached (offline,
refused, timed out), REG-022 an HTTP error status, REG-023 a response too large or not
JSON; a record of the wrong shape is REG-001..005 as from a file.
"""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from asiakasarvo_engine._version import __version__
from asiakasarvo_engine.bank.ytunnus import business_id_issue
from asiakasarvo_engine.diagnostics import make
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.prefill.record import CompanyRecord, parse_record

DEFAULT_BASE_URL = "https://avoindata.prh.fi/opendata-ytj-api/v3"
"""The public PRH open-data API v3."""
BASE_URL_ENV = "ASIAKASARVO_PRH_URL"
"""The environment variable that names another base URL."""
TIMEOUT_SECONDS = 15.0
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchedRecord:
    """What the register answered: the URL asked, the response text and the record read from it."""

    url: str
    text: str
    record: CompanyRecord


def base_url(given: str | None = None) -> str:
    """The base URL to use: ``given``, else ``$ASIAKASARVO_PRH_URL``, else the public API."""
    chosen = (given or os.environ.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL).rstrip("/")
    return chosen


def record_url(business_id: str, base: str | None = None) -> str:
    """The URL that asks the register for one company."""
    query = urllib.parse.urlencode({"businessId": business_id})
    return f"{base_url(base)}/companies?{query}"


def _fail(code: str, *, found: str = "", expected: str = "", found_fi: str = "",
          expected_fi: str = "") -> LoadError:
    return LoadError((make(code, found=found, expected=expected, found_fi=found_fi,
                           expected_fi=expected_fi),))


def fetch_record(business_id: str, *, base: str | None = None,
                 timeout: float = TIMEOUT_SECONDS) -> FetchedRecord:
    """Ask the register for the company with ``business_id``; raises :class:`LoadError`."""
    business_id = business_id.strip()
    issue = business_id_issue(business_id)
    if issue is not None:
        raise _fail("REG-020", found=repr(business_id), expected=issue.en, expected_fi=issue.fi)
    url = record_url(business_id, base)
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in {"http", "https"}:
        raise _fail("REG-021", found=url, expected="not an http or https URL",
                    expected_fi="ei http- tai https-osoite")
    request = urllib.request.Request(url, headers={  # noqa: S310 - the scheme is checked above
        "Accept": "application/json", "User-Agent": f"asiakasarvo-engine/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response's socket
        raise _fail("REG-022", found=f"{exc.code} {exc.reason}", expected=url) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        text = "timed out" if isinstance(reason, TimeoutError) else str(reason)
        raise _fail("REG-021", found=url, expected=text, expected_fi=_fi_reason(text)) from None
    except (OSError, http.client.HTTPException) as exc:
        text = "timed out" if isinstance(exc, TimeoutError) else str(exc)
        raise _fail("REG-021", found=url, expected=text, expected_fi=_fi_reason(text)) from None
    if len(body) > MAX_BYTES:
        raise _fail("REG-023", found=f"more than {MAX_BYTES} bytes", expected=url,
                    found_fi=f"yli {MAX_BYTES} tavua")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail("REG-023", found="not UTF-8 text", expected=url, found_fi="ei UTF-8-tekstiä") from None
    return FetchedRecord(url, text, parse_record(text, name=url))


def _fi_reason(text: str) -> str:
    return "aikakatkaisu" if text == "timed out" else text


def save_record(fetched: FetchedRecord, target: Path) -> Path:
    """Write the response as it came to ``target`` (folders made as needed); returns the path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(fetched.text if fetched.text.endswith("\n") else fetched.text + "\n", encoding="utf-8")
    return target
