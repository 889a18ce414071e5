"""Facts about a rig that come from the catalog rather than the fit engine: power and price.

Pure functions over a `Rig` (what the user's text was read as) and the catalog's hardware.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.planning.fitport import Rig, RigDevice
from bot.schema.catalog import HardwareEntry, Price
from bot.schema.common import Frozen

GIB = 2**30
SYSTEM_BASELINE_W = 60
"""Assumed draw of the rest of a PC with discrete GPUs (CPU, board, memory, drives, fans) while
the GPUs generate. Stated in every answer that uses it, and replaced by the `watts` option."""
CONDITION_WORDS = {"msrp": "launch price", "new": "new", "used": "used"}


class PowerDraw(Frozen):
    """The power a rig is assumed to draw while generating, and how it was added up."""

    watts: float
    parts: list[str]
    """One line per term: "2 x 350 W (NVIDIA GeForce RTX 3090, TDP)", "60 W rest of the PC"."""
    missing: list[str] = []
    """Devices without a rated power in the catalog (their draw is not counted)."""


class RigPrice(Frozen):
    """What a rig costs from the catalog's dated prices, and the prices used."""

    usd: float
    lines: list[str]
    prices: list[Price]
    missing: list[str] = []
    """Devices with no price in the catalog (not counted)."""


def entry_for(device: RigDevice, hardware: Mapping[str, HardwareEntry]) -> HardwareEntry | None:
    """The catalog entry behind a device the fit engine read, if it names one."""
    return hardware.get(device.hardware_id) if device.hardware_id else None


def rig_power(
    rig: Rig, hardware: Mapping[str, HardwareEntry], baseline_w: float = SYSTEM_BASELINE_W
) -> PowerDraw:
    """Rated power of the devices (TDP x count), plus a baseline for the rest of a PC with
    discrete GPUs. A Mac or an APU box has no separate baseline: the chip is the computer, and
    the catalog's figure (when there is one) is taken to cover it."""
    watts = 0.0
    parts: list[str] = []
    missing: list[str] = []
    for device in rig.devices:
        entry = entry_for(device, hardware)
        if entry is None or entry.tdp_w is None or entry.device_kind == "ram":
            if entry is None or entry.device_kind != "ram":
                missing.append(device.name)
            continue
        watts += entry.tdp_w * device.count
        times = f"{device.count} x " if device.count > 1 else ""
        parts.append(f"{times}{entry.tdp_w} W ({entry.name}, rated board/package power)")
    if any(d.kind == "gpu" for d in rig.devices) and baseline_w:
        watts += baseline_w
        parts.append(f"{baseline_w:g} W assumed for the rest of the PC (CPU, board, drives, fans)")
    return PowerDraw(watts=watts, parts=parts, missing=missing)


def _memory_gib(device: RigDevice) -> float:
    return round(device.memory_bytes / GIB, 1)


def prices_for(entry: HardwareEntry, memory_gib: float | None = None) -> list[Price]:
    """The entry's prices for this memory configuration (all of them when the entry has one
    size, or when a price names no configuration), newest first."""
    wanted = [
        p
        for p in entry.prices
        if p.memory_gib is None or memory_gib is None or abs(p.memory_gib - memory_gib) < 0.5
    ]
    return sorted(wanted, key=lambda p: p.as_of, reverse=True)


def current_price(entry: HardwareEntry, memory_gib: float | None = None) -> Price | None:
    """The price to use for "what does it cost now": the newest new price, else the newest used
    price, else the launch price (MSRP)."""
    found = prices_for(entry, memory_gib)
    for condition in ("new", "used", "msrp"):
        for price in found:
            if price.condition == condition:
                return price
    return None


def price_line(price: Price, count: int = 1) -> str:
    """ "$1,499 launch price on 2020-09-02 (Source title)", times the count when more than one."""
    each = f"${price.usd:,.0f}"
    total = f"{count} x {each} = ${price.usd * count:,.0f}" if count > 1 else each
    what = f" for {price.product}" if price.product else ""
    word = CONDITION_WORDS[price.condition]
    return f"{total} {word}{what} on {price.as_of.isoformat()} ({price.source.title})"


def rig_price(rig: Rig, hardware: Mapping[str, HardwareEntry]) -> RigPrice | None:
    """The rig's price from each device's current price x count; None when no device has one."""
    total = 0.0
    lines: list[str] = []
    used: list[Price] = []
    missing: list[str] = []
    for device in rig.devices:
        entry = entry_for(device, hardware)
        price = current_price(entry, _memory_gib(device)) if entry else None
        if price is None:
            if entry is None or entry.device_kind != "ram":
                missing.append(device.name)
            continue
        total += price.usd * device.count
        named = len(rig.devices) > 1
        lines.append(f"{device.name}: " * named + price_line(price, device.count))
        used.append(price)
    if not used:
        return None
    return RigPrice(usd=total, lines=lines, prices=used, missing=missing)
