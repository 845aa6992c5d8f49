"""``prefill --fetch BUSINESS_ID``: the PRH open-data API v3 played by a local HTTP server.

The network is never used: every request goes to ``http.server`` on loopback in a thread,
which answers from the fixtures in ``data/`` (or with an error status, a slow answer or
garbage) and records what it was asked.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner, Result
from test_prefill_cli import _answers, _session

from asiakasarvo_engine.cli.app import cli
from asiakasarvo_engine.errors import LoadError
from asiakasarvo_engine.prefill.fetch import BASE_URL_ENV, DEFAULT_BASE_URL, base_url, fetch_record

DATA = Path(__file__).parent / "data"
RECORDS = {"1234567-1": DATA / "oy_joensuu.json"}


class _Register(BaseHTTPRequestHandler):
    asked: ClassVar[list[str]] = []
    mode: ClassVar[str] = "ok"

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        parts = urlsplit(self.path)
        business_id = parse_qs(parts.query).get("businessId", [""])[0]
        if self.mode == "slow":
            time.sleep(1.0)
        if self.mode == "error" or parts.path != "/opendata-ytj-api/v3/companies":
            self._send(500 if self.mode == "error" else 404, b'{"message": "no"}')
        elif self.mode == "garbage":
            self._send(200, b"<html>maintenance</html>")
        elif business_id in RECORDS:
            self._send(200, RECORDS[business_id].read_bytes())
        else:
            self._send(200, json.dumps({"totalResults": 0, "companies": []}).encode())

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def register() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Register)
    _Register.asked = []
    _Register.mode = "ok"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/opendata-ytj-api/v3"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
    base_env: dict[str, str | None] = {"ASIAKASARVO_STORE": None, "ASIAKASARVO_LANG": None,
                                       BASE_URL_ENV: None}
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env={**base_env, **(env or {})})


def test_fetch_saves_the_record_beside_the_store_and_prefills(tmp_path: Path, register: str) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _session(store, name="Neuvojan nimi Oy")
    result = invoke("--lang", "en", "prefill", "--fetch", "1234567-1", "--session", session_id,
                    "--store", str(store), "--prh-url", register)
    assert result.exit_code == 0, result.output
    assert _Register.asked == ["/opendata-ytj-api/v3/companies?businessId=1234567-1"]
    assert f"Fetched from the register: {register}/companies?businessId=1234567-1" in result.output
    saved = list((tmp_path / "register-records").glob(f"{session_id}-1234567-1-*.json"))
    assert len(saved) == 1
    assert f"Record saved: {saved[0]}" in result.output
    assert json.loads(saved[0].read_text(encoding="utf-8")) == json.loads(RECORDS["1234567-1"].read_text())
    answers = _answers(store, session_id)
    assert answers["basic_info.business_id"] == ("1234567-1", "register")
    assert answers["basic_info.municipality"] == ("joensuu", "register")
    assert answers["basic_info.company_name"] == ("Neuvojan nimi Oy", "Anna Neuvoja")  # kept
    assert "Kept, already answered:\n  basic_info.company_name" in result.output


def test_fetch_takes_the_base_url_from_the_environment_and_save_from_the_option(
        tmp_path: Path, register: str) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _session(store)
    target = tmp_path / "records" / "sahapaja.json"
    result = invoke("prefill", "--fetch", "1234567-1", "--session", session_id, "--store", str(store),
                    "--save", str(target), env={BASE_URL_ENV: register + "/"})
    assert result.exit_code == 0, result.output
    assert "Haettu rekisteristä" in result.output and "Tietue tallennettu" in result.output
    assert target.is_file()
    assert len(_Register.asked) == 1


def test_base_url_default_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    assert base_url() == DEFAULT_BASE_URL == "https://avoindata.prh.fi/opendata-ytj-api/v3"
    monkeypatch.setenv(BASE_URL_ENV, "http://mirror.example/v3/")
    assert base_url() == "http://mirror.example/v3"
    assert base_url("http://given.example/api") == "http://given.example/api"


@pytest.mark.parametrize(("mode", "code"), [("error", "REG-022"), ("garbage", "SRC-007")])
def test_a_register_error_writes_nothing(tmp_path: Path, register: str, mode: str, code: str) -> None:
    store = tmp_path / "sessions.sqlite3"
    session_id = _session(store)
    _Register.mode = mode
    result = invoke("--lang", "en", "prefill", "--fetch", "1234567-1", "--session", session_id,
                    "--store", str(store), "--prh-url", register)
    assert result.exit_code == 1
    assert f"error {code}" in result.output
    assert not (tmp_path / "register-records").exists()
    assert "basic_info.business_id" not in _answers(store, session_id)


def test_http_error_names_the_status_and_url(register: str) -> None:
    _Register.mode = "error"
    with pytest.raises(LoadError) as caught:
        fetch_record("1234567-1", base=register)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "REG-022"
    assert "500" in diagnostic.message("en") and register in diagnostic.message("en")
    assert "HTTP 500" in diagnostic.message("fi")


def test_unknown_company_is_a_coded_record_error(register: str) -> None:
    with pytest.raises(LoadError) as caught:
        fetch_record("0000000-0", base=register)
    assert [d.code for d in caught.value.diagnostics] == ["REG-005"]


def test_a_slow_register_times_out(register: str) -> None:
    _Register.mode = "slow"
    with pytest.raises(LoadError) as caught:
        fetch_record("1234567-1", base=register, timeout=0.2)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "REG-021" and "timed out" in diagnostic.message("en")
    assert "aikakatkaisu" in diagnostic.message("fi")


def test_offline_is_reg_021_with_the_url(register: str) -> None:
    closed = "http://127.0.0.1:9/opendata-ytj-api/v3"  # the discard port: nothing listens
    with pytest.raises(LoadError) as caught:
        fetch_record("1234567-1", base=closed)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "REG-021" and closed in diagnostic.message("en")
    assert _Register.asked == []


@pytest.mark.parametrize("given", ["1234567-2", "123456-1", "abc"])
def test_a_bad_business_id_is_refused_before_any_request(register: str, given: str) -> None:
    with pytest.raises(LoadError) as caught:
        fetch_record(given, base=register)
    assert [d.code for d in caught.value.diagnostics] == ["REG-020"]
    assert _Register.asked == []


def test_only_http_urls(register: str) -> None:
    with pytest.raises(LoadError) as caught:
        fetch_record("1234567-1", base="file:///etc")
    assert [d.code for d in caught.value.diagnostics] == ["REG-021"]


def test_record_and_fetch_together_or_neither_is_a_usage_error(tmp_path: Path) -> None:
    both = invoke("--lang", "en", "prefill", str(DATA / "oy_joensuu.json"), "--fetch", "1234567-1",
                  "--session", "x", "--store", str(tmp_path / "s.sqlite3"))
    neither = invoke("--lang", "en", "prefill", "--session", "x", "--store", str(tmp_path / "s.sqlite3"))
    for result in (both, neither):
        assert result.exit_code == 2
        assert "either RECORD.json or --fetch" in result.output
