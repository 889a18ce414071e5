"""The `/willitrun` verdict embed: understood, memory bars, speed, reproduce, within limits."""

from __future__ import annotations

from typing import Any

import pytest

from bot.render.embed import limit_problems, render_embed
from bot.render.verdict import GIB, memory_bar

fit = pytest.importorskip("bot.schema.fit", reason="the fit engine is not merged yet")


def result(**changes: Any) -> Any:
    device = {
        "device": "RTX 3090",
        "capacity_bytes": 24 * GIB,
        "weights_bytes": 4 * GIB,
        "kv_cache_bytes": 1 * GIB,
        "compute_bytes": GIB // 2,
        "overhead_bytes": GIB // 2,
        "total_bytes": 6 * GIB,
        "layers": 32,
        "holds_output": True,
    }
    data: dict[str, Any] = {
        "title": "Llama 3.1 8B on RTX 3090",
        "summary": "Runs fully on the GPU at Q4_K_M with 8,192 tokens of context.",
        "confidence": 1.0,
        "entry_id": "llama-3.1-8b",
        "understood": {
            "model": {
                "id": "llama-3.1-8b",
                "name": "Llama 3.1 8B",
                "family": "llama",
                "params_b": 8.0,
                "quant": "Q4_K_M",
                "quant_source": "asked",
            },
            "hardware": {
                "devices": [
                    {
                        "name": "RTX 3090",
                        "hardware_id": "rtx-3090",
                        "count": 1,
                        "memory_bytes": 24 * GIB,
                        "bandwidth_gbps": 936,
                        "backend": "cuda",
                    }
                ],
                "system_ram_bytes": 64 * GIB,
                "text": "3090",
            },
            "context": 8192,
            "context_source": "asked",
            "kv_cache": "f16",
            "runtime": "ollama",
            "runtime_name": "Ollama",
            "flash_attention": False,
        },
        "verdict": "runs_on_gpu",
        "memory": {
            "weights_bytes": 4 * GIB,
            "kv_cache_bytes": GIB,
            "compute_bytes": GIB // 2,
            "overhead_bytes": GIB // 2,
            "total_bytes": 6 * GIB,
            "per_device": [device],
            "weights_basis": "published_file",
        },
        "placement": {
            "gpu_layers": 33,
            "total_layers": 33,
            "percent_on_gpu": 100.0,
            "gpus_used": 1,
            "tensor_split": [1.0],
        },
        "speed": {
            "decode_tokens_per_s": {"low": 80.0, "high": 120.0},
            "prompt_tokens_per_s": {"low": 2000.0, "high": 4000.0},
            "bound_by": "RTX 3090",
        },
        "best_quant": "Q8_0",
        "context_table": [
            {
                "quant": "Q4_K_M",
                "weights_bytes": 4 * GIB,
                "max_context_f16": 131072,
                "max_context_q8_0": 131072,
            }
        ],
        "alternatives": [{"kind": "smaller_quant", "text": "Q8_0 also fits."}],
        "caveats": ["Other programs on the GPU use memory too."],
        "recommendation": "Use Q8_0 for better quality; it still fits.",
        "reproduce": ["ollama run llama3.1:8b", "ollama ps"],
    }
    data.update(changes)
    return fit.FitResult.model_validate(data)


def test_the_verdict_shows_understood_memory_speed_and_reproduce() -> None:
    embed = render_embed(result())
    names = [f["name"] for f in embed["fields"]]
    assert names[:4] == [
        "What I understood",
        "Memory",
        "Speed (estimate)",
        "Check it yourself",
    ]
    understood = embed["fields"][0]["value"]
    assert "Llama 3.1 8B, 8B, Q4_K_M (as asked)" in understood
    assert "RTX 3090 (24.0 GiB), 64.0 GiB RAM" in understood
    assert "`████░░░░░░░░`" not in embed["fields"][1]["value"]
    assert "`███░░░░░░░░░` 6.0 GiB of 24.0 GiB on RTX 3090" in embed["fields"][1]["value"]
    assert "80–120 tokens/s while generating" in embed["fields"][2]["value"]
    assert embed["fields"][3]["value"] == "```bash\nollama run llama3.1:8b\nollama ps\n```"
    assert embed["color"] == 0x2E9E5B
    assert limit_problems(embed) == []


def test_a_huge_verdict_still_fits_and_keeps_its_code_block_closed() -> None:
    many = [f"llama-server -m model.gguf --flag-{n} " + "x" * 60 for n in range(200)]
    embed = render_embed(
        result(
            reproduce=many,
            caveats=["c" * 900] * 40,
            alternatives=[{"kind": "smaller_model", "text": "a" * 500}] * 40,
            summary="s " * 5000,
        )
    )
    assert limit_problems(embed) == []
    code = next(f["value"] for f in embed["fields"] if f["name"] == "Check it yourself")
    assert code.startswith("```bash\n") and code.endswith("\n```")


@pytest.mark.parametrize(
    ("used", "capacity", "bar"),
    [
        (0, 24, "░" * 12),
        (1, 1000, "█" + "░" * 11),
        (12, 24, "█" * 6 + "░" * 6),
        (30, 24, "█" * 12),
        (5, 0, "░" * 12),
    ],
)
def test_memory_bar(used: int, capacity: int, bar: str) -> None:
    assert memory_bar(used, capacity) == bar


def test_system_ram_of_unknown_size_is_listed_without_a_bar() -> None:
    base = result()
    cpu = {
        **base.memory.per_device[0].model_dump(),
        "device": "CPU / system RAM",
        "capacity_bytes": 0,
        "total_bytes": GIB,
    }
    memory = {**base.memory.model_dump(), "per_device": [base.memory.per_device[0], cpu]}
    value = render_embed(result(memory=memory))["fields"][1]["value"]
    assert "\n1.0 GiB on CPU / system RAM\n" in value
    assert "of 0.0 GiB" not in value
