"""The replay's handling of golden-governance: its loopback receiver and the volatile parts of notification texts."""

from __future__ import annotations

import urllib.request

from contracts.replay_receiver import CLOSED_PORT, RECEIVER_PORT, Receiver
from contracts.volatile import IdMap, match_text


def test_receiver_answers_like_the_recordings_and_rewrites_ports() -> None:
    receiver = Receiver()
    try:
        body = receiver.rewrite(b'{"url":"http://127.0.0.1:34813/fail","other":"http://127.0.0.1:42537/hook"}')
        port = receiver.ports[RECEIVER_PORT]
        assert f"127.0.0.1:{port}/fail".encode() in body and f"127.0.0.1:{receiver.ports[CLOSED_PORT]}/hook".encode() in body
        ok = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/hook", data=b'{"a": 1}', method="POST"))
        assert ok.status == 200
        try:
            urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/fail", data=b"{}", method="PUT"))
            raise AssertionError("expected a 500")
        except urllib.error.HTTPError as error:
            assert error.code == 500
        assert [(r["method"], r["path"], r["body"]) for r in receiver.received] == [("POST", "/hook", {"a": 1}), ("PUT", "/fail", {})]
    finally:
        receiver.close()


def test_notification_texts_compare_ids_ports_and_addresses_through_the_map() -> None:
    ids = IdMap()
    assert match_text(ids, "Test Notification 2 https://towerhost", "Test Notification 1 https://towerhost")
    assert not match_text(ids, "Test Notification 3 https://towerhost", "Test Notification 1 https://towerhost")
    assert match_text(ids, "https://towerhost/#/jobs/workflow/1717", "https://towerhost/#/jobs/workflow/9")
    assert match_text(ids, '- node #1203 spawns job #1718, "gate", which', '- node #4 spawns job #10, "gate", which')
    assert match_text(ids, "gov Org-1025", "gov Org-2", "organizations")
    assert not match_text(ids, "gov Org-1025", "gov Org-3", "organizations")
    refused = "HTTPConnectionPool(host='127.0.0.1', port={}): x (NewConnectionError('<c object at {}>: refused'))"
    assert match_text(ids, refused.format(42537, "0x7f69443802d0"), refused.format(40001, "0x7f0000000000"))
    assert not match_text(ids, refused.format(42537, "0x7f69443802d0"), refused.format(40001, "0x7f0000000000").replace("refused", "reset"))
