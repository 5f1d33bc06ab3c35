"""The load benchmark's client reads the built frontend and Reflex's packets as the browser does."""

import pytest

from benchmarks.reflex_wire import Frontend, has_backend_error, is_hydrated, parse_packet, redirect_of, route_params, router_data

CONTEXT = """import { useContext } from "react"
export const initialState = {"reflex___state____state": {"is_hydrated_rx_state_": false}}
export const initialStateHashes = ["10a22135c1818cdb", "8ee13032907d9632"]
export const stateSchema = "36c71d4b367236cf93848bfd3d7d436b"

export const clientStorage = {"cookies": {}, "local_storage": {}, "session_storage": {}}
"""


def test_the_frontend_constants_come_from_the_compiled_context():
    frontend = Frontend.from_context(CONTEXT, "0.10.1")
    assert frontend.version == "0.10.1"
    assert frontend.state_schema == "36c71d4b367236cf93848bfd3d7d436b"
    assert frontend.initial_hashes == ["10a22135c1818cdb", "8ee13032907d9632"]


def test_an_app_with_browser_storage_is_refused_rather_than_hydrated_without_it():
    context = CONTEXT.replace('"cookies": {}', '"cookies": {"reflex___state____state.theme_rx_state_": {"name": "theme"}}')
    with pytest.raises(ValueError, match="browser storage"):
        Frontend.from_context(context, "0.10.1")


def test_a_context_without_the_schema_says_so():
    with pytest.raises(ValueError, match="stateSchema"):
        Frontend.from_context(CONTEXT.replace("stateSchema", "somethingElse"), "0.10.1")


def test_router_data_as_the_frontend_builds_it():
    assert router_data("/") == {"pathname": "/", "asPath": "/"}
    assert router_data("/?q=data&page=2") == {"pathname": "/", "asPath": "/?q=data&page=2", "query": {"q": "data", "page": "2"}}
    assert router_data("/gigs/12", "/gigs/[gig_id]") == {"pathname": "/gigs/12", "asPath": "/gigs/12", "query": {"gig_id": "12"}}
    assert route_params("/manage/gigs/[gig_id]", "/manage/gigs/7") == {"gig_id": "7"}
    assert route_params("/gigs/[gig_id]", "/") == {}


def test_engine_io_and_socket_io_packets():
    assert parse_packet('0{"sid":"a","pingInterval":25000}') == ("open", {"sid": "a", "pingInterval": 25000})
    assert parse_packet("2") == ("ping", None)
    assert parse_packet('40/_event,{"sid":"b"}') == ("connect", {"sid": "b"})
    assert parse_packet('44/_event,{"message":"refused"}') == ("connect_error", {"message": "refused"})
    assert parse_packet("41/_event,") == ("disconnect", None)
    assert parse_packet('42/_event,["event",{"delta":{}}]') == ("event", ["event", {"delta": {}}])
    assert parse_packet('42/_event,7["event",{"delta":{}}]') == ("event", ["event", {"delta": {}}])  # with an ack id
    assert parse_packet("6") == ("other", "6")


def test_what_an_update_says():
    hydrated = {"delta": {"reflex___state____state": {"is_hydrated_rx_state_": True}}}
    assert is_hydrated(hydrated)
    assert not is_hydrated({"delta": {"reflex___state____state": {"is_hydrated_rx_state_": False}}})
    assert not is_hydrated({"delta": {}})
    assert redirect_of({"delta": {}, "events": [{"name": "_redirect", "payload": {"path": "/?q=data"}}]}) == "/?q=data"
    assert redirect_of(hydrated) is None
    toast = {"name": "_call_function", "payload": {"function": "toast('An error occurred.', {id: 'backend_error'})"}}
    assert has_backend_error({"events": [toast]})
    assert not has_backend_error(hydrated)
