"""The mapping, the settings and the error messages of the NetBox sync, without a NetBox."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import requests
from pydantic import SecretStr

from inventory.load import load_landscape
from inventory.models import Landscape
from netboxsync import ConfigError, MappingError, NetBoxSettings
from netboxsync.client import NetBoxClient, _problems
from netboxsync.endpoints import CF_ID, CF_RECORD, CF_SYSTEMS, SPECS
from netboxsync.mapping import desired_objects, slugify
from netboxsync.pull import landscape_from_state
from netboxsync.settings import load_settings
from netboxsync.state import Ref, State
from netboxsync.sync import diff

MINI = Path(__file__).resolve().parents[2] / "tests" / "data" / "valid" / "mini"
TOKEN = "nbt_abcdefghijkl.0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(scope="module")
def mini() -> Landscape:
    return load_landscape(MINI)


def test_desired_objects_map_organisations_sites_and_hosts(mini: Landscape) -> None:
    objs = desired_objects(mini)

    counts = Counter(d.endpoint for d in objs)
    assert counts["tenancy.tenants"] == len(mini.organisations)
    assert counts["dcim.sites"] == len(mini.sites)
    assert counts["dcim.devices"] + counts["virtualization.virtual-machines"] == len(mini.hosts)
    assert counts["extras.config-contexts"] == 1
    tenant = next(d for d in objs if d.endpoint == "tenancy.tenants" and d.key == "oberthal")
    assert tenant.custom_fields[CF_ID] == "oberthal"
    assert [s["id"] for s in tenant.custom_fields[CF_SYSTEMS]] == [s.id for s in mini.organisations[1].systems]


def test_desired_objects_come_in_dependency_order(mini: Landscape) -> None:
    objs = desired_objects(mini)
    order = list(SPECS)
    positions = [order.index(d.endpoint) for d in objs]

    assert positions == sorted(positions)
    seen = set()
    for d in objs:  # every ref points to an object earlier in the list
        for v in d.fields.values():
            if isinstance(v, Ref):
                assert (v.endpoint, v.key) in seen, f"{d.label} -> {v}"
        seen.add((d.endpoint, d.key))


def test_slugify_makes_netbox_slugs() -> None:
    assert [slugify(s) for s in ("Saarbrücken", "ego-saar.rz", "Windows Server 2012 R2", "Ökö_ß")] == [
        "saarbruecken", "ego-saar-rz", "windows-server-2012-r2", "oekoe_ss"]


def test_two_ids_with_the_same_slug_are_a_mapping_error(mini: Landscape) -> None:
    org = mini.organisations[1]
    twins = tuple(org.model_copy(update={"organisation": org.organisation.model_copy(update={"id": i, "name": i}),
                                         "sites": (), "hosts": (), "systems": (), "dependencies": (),
                                         "online_services": ()})
                  for i in ("ober.thal", "ober-thal"))
    fake = Landscape.model_construct(meta=mini.meta, catalogue=mini.catalogue, organisations=twins)

    with pytest.raises(MappingError, match="would be the same NetBox tenant .*slug = ober-thal"):
        desired_objects(fake)


def test_long_or_repeated_names_are_made_unique_and_kept_in_the_record(mini: Landscape) -> None:
    org = mini.organisations[1]
    long_name = "Gemeinde " + "Oberthal " * 12
    renamed = org.model_copy(update={"organisation": org.organisation.model_copy(update={"name": long_name})})
    landscape = Landscape(meta=mini.meta, catalogue=mini.catalogue, organisations=(mini.organisations[0], renamed))

    tenant = next(d for d in desired_objects(landscape) if d.key == "oberthal" and d.endpoint == "tenancy.tenants")

    assert len(tenant.fields["name"]) <= 100 and tenant.fields["name"].endswith("[oberthal]")
    assert tenant.custom_fields[CF_RECORD]["organisation"]["name"] == long_name


def test_diff_against_an_empty_netbox_creates_everything(mini: Landscape) -> None:
    objs = desired_objects(mini)

    changes = diff(objs, State({name: [] for name in SPECS}))

    assert Counter(c.action for c in changes) == {"create": len(objs)}


def test_pull_of_netbox_without_landkarte_data_says_so() -> None:
    from netboxsync import NotALandscape

    with pytest.raises(NotALandscape, match="holds no Landkarte inventory"):
        landscape_from_state(State({name: [] for name in SPECS}))


def test_settings_read_the_environment_and_hide_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANDKARTE_NETBOX_URL", "http://127.0.0.1:8090")
    monkeypatch.setenv("LANDKARTE_NETBOX_TOKEN", TOKEN)

    settings = load_settings()

    assert settings.token == SecretStr(TOKEN)
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)
    assert TOKEN not in repr(NetBoxClient(settings)) and TOKEN not in repr(NetBoxClient(settings).api.http_session)
    assert settings.secret() == TOKEN


def test_settings_read_the_token_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    monkeypatch.setenv("LANDKARTE_NETBOX_URL", "http://127.0.0.1:8090")
    monkeypatch.delenv("LANDKARTE_NETBOX_TOKEN", raising=False)
    monkeypatch.setenv("LANDKARTE_NETBOX_TOKEN_FILE", str(token_file))

    assert load_settings().secret() == TOKEN


def test_missing_settings_name_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("URL", "TOKEN", "TOKEN_FILE"):
        monkeypatch.delenv(f"LANDKARTE_NETBOX_{name}", raising=False)
    with pytest.raises(ConfigError) as no_url:
        load_settings()
    monkeypatch.setenv("LANDKARTE_NETBOX_URL", "http://127.0.0.1:8090")
    with pytest.raises(ConfigError) as no_token:
        load_settings()

    assert str(no_url.value) == "NetBox settings: LANDKARTE_NETBOX_URL: Field required"
    assert str(no_token.value) == "NetBox settings: set LANDKARTE_NETBOX_TOKEN or LANDKARTE_NETBOX_TOKEN_FILE"


def test_missing_token_file_is_a_config_error(tmp_path: Path) -> None:
    settings = NetBoxSettings(url="http://127.0.0.1:8090", token_file=tmp_path / "nope")

    with pytest.raises(ConfigError, match="LANDKARTE_NETBOX_TOKEN_FILE .*nope"):
        settings.secret()


def _response(status: int, body: str) -> requests.Response:
    resp = requests.Response()
    resp.status_code = status
    resp._content = body.encode()
    return resp


def test_bulk_validation_error_names_object_and_field() -> None:
    resp = _response(400, '{"detail": "1 of 2 objects could not be created.", "errors": '
                          '[{"index": 1, "errors": {"vcpus": ["Ensure that there are no more than 4 digits."]}}]}')

    problems = _problems(resp, [{"name": "a"}, {"name": "b", "vcpus": 123456}], ["VM 'a' (x.a)", "VM 'b' (x.b)"],
                         "create")

    assert problems == ["VM 'b' (x.b): field 'vcpus' (value 123456): Ensure that there are no more than 4 digits."]


def test_single_validation_error_and_detail_are_plain_sentences() -> None:
    single = _problems(_response(400, '{"name": ["Tenant with this name already exists."]}'),
                       [{"name": "Beckingen"}], ["tenant 'Beckingen' (beckingen)"], "create")
    detail = _problems(_response(409, '{"detail": "Unable to delete object: 2 dependent objects."}'),
                       [{"id": 4}], ["tenant 'X' (x)"], "delete")

    assert single == [("tenant 'Beckingen' (beckingen): field 'name' (value 'Beckingen'): "
                      "Tenant with this name already exists.")]
    assert detail == ["could not delete tenant 'X' (x): Unable to delete object: 2 dependent objects."]
