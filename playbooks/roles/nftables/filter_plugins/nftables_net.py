"""Filters of the nftables role: address-in-network checks without the ansible.utils collection.

The preflight uses them to refuse a ruleset that would not let the controller back in.
"""

from __future__ import annotations

import ipaddress

from ansible.errors import AnsibleFilterError


def nftables_address_in(address, networks):
    """True when ``address`` lies in one of ``networks`` (CIDRs or plain addresses).

    >>> nftables_address_in("10.99.0.1", ["10.99.0.0/24"])
    True
    >>> nftables_address_in("10.99.0.1", ["10.250.0.0/24"])
    False
    """
    try:
        ip = ipaddress.ip_address(str(address).strip())
    except ValueError as exc:
        raise AnsibleFilterError(f"nftables_address_in: {address!r} is not an IP address") from exc
    for net in networks or ():
        try:
            if ip in ipaddress.ip_network(str(net).strip(), strict=False):
                return True
        except ValueError as exc:
            raise AnsibleFilterError(f"nftables_address_in: {net!r} is not a network") from exc
    return False


class FilterModule:
    def filters(self):
        return {"nftables_address_in": nftables_address_in}
