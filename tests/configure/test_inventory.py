"""The inventory generated from a plan: groups, firewall flows, log and time hosts."""

from __future__ import annotations

import pytest
from configure_plans import LOG_VM, MAIL_VM, make_plan

from configure.inventory import InventoryOptions, build_inventory, group_name


def _inventory(**options):
    options.setdefault("management_sources", ("10.99.0.1/32",))
    return build_inventory(make_plan(), InventoryOptions(**options))


def test_inventory_groups_by_data_centre_tenant_and_role():
    children = _inventory()["all"]["children"]
    assert set(children["dc_rz_test"]["hosts"]) == {MAIL_VM, LOG_VM}
    assert set(children["tenant_gem_a"]["hosts"]) == {MAIL_VM, LOG_VM}
    assert set(children["tenant_gem_b"]["hosts"]) == {MAIL_VM}
    assert set(children["role_mail"]["hosts"]) == {MAIL_VM}
    assert set(children["role_logging"]["hosts"]) == {LOG_VM}
    assert set(children["service_mailrelay"]["hosts"]) == {MAIL_VM}


def test_inventory_firewall_allows_only_the_plans_flows_into_a_target():
    rules = _inventory()["all"]["hosts"][MAIL_VM]["nftables_allowed_inbound"]
    assert rules == [
        {"name": "plan flows: f-gem-a-mail", "protocol": "tcp", "port": 25, "sources": ["10.99.0.0/24"]},
        {"name": "plan flows: f-log-submit", "protocol": "tcp", "port": 587, "sources": ["10.99.0.12/32"]},
    ]


def test_inventory_log_host_receives_from_its_data_centre():
    hosts = _inventory()["all"]["hosts"]
    assert hosts[LOG_VM]["logging_receive"] is True
    assert hosts[LOG_VM]["logging_server"] == ""
    assert hosts[MAIL_VM]["logging_server"] == "10.99.0.12"
    assert {"name": "infra: central logging", "protocol": "tcp", "port": 514,
            "sources": ["10.99.0.11/32", "10.99.0.12/32"]} in hosts[LOG_VM]["nftables_allowed_inbound"]


def test_inventory_time_server_in_the_plan_serves_the_data_centre():
    hosts = _inventory(ntp_servers=("10.99.0.12",))["all"]["hosts"]
    assert hosts[LOG_VM]["baseline_ntp_serve_networks"] == ["10.99.0.11/32", "10.99.0.12/32"]
    assert hosts[MAIL_VM]["baseline_ntp_servers"] == ["10.99.0.12"]
    assert hosts[MAIL_VM]["baseline_ntp_serve_networks"] == []


def test_inventory_without_management_network_is_an_error_not_the_supernet():
    with pytest.raises(ValueError, match="no management network"):
        _inventory(management_sources=())
    with pytest.raises(ValueError, match="'10.0.0.300/32' is not a CIDR prefix"):
        _inventory(management_sources=("10.0.0.300/32",))
    assert _inventory(management_sources=("10.0.0.1/32",))["all"]["hosts"][MAIL_VM][
        "nftables_management_sources"] == ["10.0.0.1/32"]


def test_inventory_backup_host_serves_the_others_over_sftp():
    hosts = _inventory(backup_host=LOG_VM)["all"]["hosts"]
    assert hosts[MAIL_VM]["backup_repository_host"] == LOG_VM
    assert hosts[MAIL_VM]["backup_repository_address"] == "10.99.0.12"
    assert hosts[LOG_VM]["backup_repository_host"] == ""  # never its own repository: not off-host
    assert hosts[LOG_VM]["ssh_sftp_chroot_group"] == "landkarte-backup"
    assert {"name": "infra: backup clients (sftp)", "protocol": "tcp", "port": 22,
            "sources": ["10.99.0.11/32"]} in hosts[LOG_VM]["nftables_allowed_inbound"]
    assert "ssh_sftp_chroot_group" not in hosts[MAIL_VM]


def test_inventory_without_backup_host_declares_no_repository():
    hosts = _inventory()["all"]["hosts"]
    assert {h["backup_repository_host"] for h in hosts.values()} == {""}


def test_inventory_log_host_is_named_for_the_delivery_check():
    hosts = _inventory()["all"]["hosts"]
    assert hosts[MAIL_VM]["logging_server_host"] == LOG_VM
    assert hosts[LOG_VM]["logging_server_host"] == ""


def test_inventory_mail_relay_networks_come_from_mail_flows():
    assert _inventory()["all"]["hosts"][MAIL_VM]["mailrelay_networks"] == ["10.99.0.0/24", "10.99.0.12/32"]


def test_inventory_keeps_host_key_checking_on():
    all_vars = _inventory(known_hosts="/k/known_hosts", private_key="/k/id")["all"]["vars"]
    assert "StrictHostKeyChecking=yes" in all_vars["ansible_ssh_common_args"]
    assert "UserKnownHostsFile=/k/known_hosts" in all_vars["ansible_ssh_common_args"]
    assert all_vars["ansible_ssh_private_key_file"] == "/k/id"


def test_inventory_address_override_replaces_the_planned_address_everywhere():
    hosts = _inventory(address_overrides={LOG_VM: "192.0.2.7"})["all"]["hosts"]
    assert hosts[LOG_VM]["ansible_host"] == "192.0.2.7"
    assert hosts[MAIL_VM]["logging_server"] == "192.0.2.7"


def test_inventory_is_deterministic():
    assert _inventory() == _inventory()


def test_group_name_is_a_valid_ansible_identifier():
    assert group_name("tenant", "gem-10041.x") == "tenant_gem_10041_x"
