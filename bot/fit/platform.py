"""Platform limits and caveats: how much of a device's memory the GPU may really use.

Apple Silicon shares one memory between CPU and GPU, and Metal lets the GPU wire only
`recommendedMaxWorkingSetSize` of it (about two thirds on machines up to 36 GB, three quarters
above); Ollama uses that figure as the Mac's "VRAM". The limit can be raised until reboot with
`sudo sysctl iogpu.wired_limit_mb=<MiB>`. PC APUs (Strix Halo) take their GPU share from a BIOS
carve-out or the driver's GTT limit. These functions turn a device into usable bytes and say
what to watch out for.
"""

from __future__ import annotations

from bot.schema.fit import DeviceSpec

GIB = 1024**3

OS_RESERVE_BYTES = 2 * GIB
"""System RAM we leave to the operating system and other programs (our assumption)."""

APU_GPU_SHARE = 0.75
"""Share of an APU's memory we assume the GPU can use (AMD's Variable Graphics Memory tops out at
96 GB of 128 GB on Strix Halo); the BIOS or GTT setting decides."""


def apple_working_set_fraction(memory_bytes: int) -> float:
    """Share of unified memory Metal's `recommendedMaxWorkingSetSize` allows by default."""
    return 2 / 3 if memory_bytes <= 36 * GIB else 3 / 4


def gpu_capacity_bytes(device: DeviceSpec) -> int:
    """Bytes the GPU side of one unit of `device` can hold by default."""
    if device.kind == "gpu":
        return device.memory_bytes
    if device.kind == "unified":
        if device.vendor == "apple":
            return int(device.memory_bytes * apple_working_set_fraction(device.memory_bytes))
        return int(device.memory_bytes * APU_GPU_SHARE)
    return 0


def raised_apple_limit_mib(memory_bytes: int) -> int:
    """A wired limit to suggest for `iogpu.wired_limit_mb`: all memory but 8 GiB (or 4 GiB on
    small machines), leaving the system room to run."""
    keep = 8 * GIB if memory_bytes > 32 * GIB else 4 * GIB
    return (memory_bytes - keep) // (1024**2)


def platform_caveats(devices: tuple[DeviceSpec, ...], offloaded: bool, tight: bool) -> list[str]:
    """Warnings that matter for these devices, in the order a user would hit them."""
    out: list[str] = []
    kinds = {(d.vendor, d.kind, d.backend) for d in devices}
    if any(v == "apple" for v, _, _ in kinds):
        out.append(
            "On a Mac the GPU may use only part of the unified memory by default "
            "(about 2/3 up to 36 GB, 3/4 above). Raise it until reboot with "
            "`sudo sysctl iogpu.wired_limit_mb=<MiB>` and leave the system a few GB."
        )
    if any(v == "nvidia" and k == "gpu" for v, k, _ in kinds) and (offloaded or tight):
        out.append(
            "On Windows the NVIDIA driver quietly spills VRAM into shared system memory when "
            "it runs out, which is far slower than a clean offload; set 'CUDA - Sysmem Fallback "
            "Policy' to 'Prefer No Sysmem Fallback' in the NVIDIA Control Panel."
        )
    if any(k == "unified" and v == "amd" for v, k, _ in kinds):
        out.append(
            "Strix Halo and other APUs give the GPU a share set in the BIOS (or the Linux "
            "GTT limit); we assume 3/4 of the memory. Check the setting if the GPU sees less."
        )
    if any(b == "rocm" for _, _, b in kinds):
        out.append(
            "ROCm supports only some Radeon cards officially; if yours is not listed, use the "
            "Vulkan backend or set HSA_OVERRIDE_GFX_VERSION as AMD's docs describe."
        )
    if any(b == "sycl" for _, _, b in kinds):
        out.append(
            "Intel Arc runs llama.cpp through SYCL or Vulkan; Ollama's support for Arc is "
            "through Vulkan and is less mature."
        )
    if any(k == "cpu" for _, k, _ in kinds) and not any(k != "cpu" for _, k, _ in kinds):
        out.append(
            "CPU-only: speed is set by system RAM bandwidth; expect single-digit tokens/s "
            "for anything above a few billion parameters."
        )
    return out
