"""The whole `/willitrun` answer: every query resolves to a verdict with its parts, the JSON
contract holds, and the handler turns bad input into answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.content.snapshot import Snapshot, build_snapshot
from bot.fit.engine import estimate, request_from_text
from bot.handlers.willitrun import split_positional, willitrun
from bot.render.text import render_text
from bot.schema.catalog import BenchmarkEntry
from bot.schema.fit import FitRequest, FitResult
from tests.fit.conftest import FixtureCatalog, load_fixture_catalog

QUERIES = Path(__file__).resolve().parents[1] / "queries" / "willitrun.txt"
GIB = 1024**3


def _queries() -> list[str]:
    if not QUERIES.exists():
        return []
    return [line for line in QUERIES.read_text().splitlines() if line.strip()]


def _snapshot():
    c = load_fixture_catalog()
    return build_snapshot({"models": list(c.models), "hardware": list(c.hardware)})


def test_llama_8b_on_a_3060_runs_on_the_gpu(catalog: FixtureCatalog) -> None:
    r = estimate(FitRequest(model="llama3.1:8b", hardware="rtx 3060 12gb"), catalog)
    assert r.verdict == "runs_on_gpu"
    assert r.understood.context == 4096  # Ollama's tier below 24 GiB
    assert r.memory.weights_basis == "published_file"
    assert 30 < r.speed.decode_tokens_per_s.low < r.speed.decode_tokens_per_s.high < 80


def test_published_file_is_shown_in_gib_and_as_published_with_its_page(
    catalog: FixtureCatalog,
) -> None:
    model = next(m for m in catalog.models if m.id == "llama3.1-8b")
    published = next(f for f in model.files if f.quant == "Q4_K_M")
    r = estimate(FitRequest(model="llama3.1:8b", hardware="rtx 3060 12gb"), catalog)
    text = render_text(r)
    assert (
        f"{r.memory.weights_bytes / GIB:.1f} GiB (published file, {published.size_gb:.1f} GB)"
        in text
    )
    assert published.source in r.sources


def test_llama_70b_on_one_4090_offloads(catalog: FixtureCatalog) -> None:
    r = estimate(FitRequest(model="llama3.1:70b", hardware="4090 + 64gb ddr5"), catalog)
    assert r.verdict == "runs_with_offload"
    assert 0 < r.placement.gpu_layers < r.placement.total_layers
    assert r.speed.decode_tokens_per_s.high < 5
    assert any(a.kind == "smaller_model" for a in r.alternatives)


def test_ram_too_small_does_not_run(catalog: FixtureCatalog) -> None:
    r = estimate(FitRequest(model="qwen2.5:72b", hardware="3060 12gb + 16gb ram"), catalog)
    assert r.verdict == "does_not_run"


def test_moe_offload_gives_n_cpu_moe(catalog: FixtureCatalog) -> None:
    r = estimate(FitRequest(model="qwen3:30b-a3b", hardware="3060 12gb + 64gb ram"), catalog)
    assert r.verdict == "runs_with_offload"
    assert r.placement.n_cpu_moe
    assert any(f"--n-cpu-moe {r.placement.n_cpu_moe}" in c for c in r.reproduce)


def test_two_cards_split_with_tensor_split(catalog: FixtureCatalog) -> None:
    request = FitRequest(model="llama3.1:70b", hardware="2x3090", runtime="llama.cpp")
    r = estimate(request, catalog)
    assert r.verdict == "runs_on_gpu"
    assert r.placement.gpus_used == 2
    assert any("--tensor-split" in c for c in r.reproduce)


def test_quantized_kv_cache_turns_on_flash_attention(catalog: FixtureCatalog) -> None:
    r = estimate(
        FitRequest(model="qwen2.5:72b", hardware="2x3090", context=32768, kv_cache="q8_0"),
        catalog,
    )
    assert r.understood.kv_cache == "q8_0"
    assert r.understood.flash_attention
    assert any("OLLAMA_KV_CACHE_TYPE=q8_0" in c for c in r.reproduce)


def test_apple_working_set_limits_the_gpu(catalog: FixtureCatalog) -> None:
    r = estimate(FitRequest(model="qwen2.5:72b", hardware="m2 max 64gb"), catalog)
    gpu = r.memory.per_device[0]
    assert gpu.capacity_bytes == 48 * GIB  # 3/4 of 64 GB
    assert any("iogpu.wired_limit_mb" in c for c in r.caveats)


def test_context_table_shrinks_with_bigger_quants(catalog: FixtureCatalog) -> None:
    r = estimate(FitRequest(model="llama3.1:8b", hardware="rtx 3060 12gb"), catalog)
    contexts = [row.max_context_f16 for row in r.context_table]
    assert contexts == sorted(contexts)
    assert all(row.max_context_q8_0 >= row.max_context_f16 for row in r.context_table)


def test_json_contract_fields(catalog: FixtureCatalog) -> None:
    r = estimate(FitRequest(model="qwen2.5:72b", hardware="2x3090"), catalog)
    data = json.loads(r.model_dump_json())
    assert data["kind"] == "willitrun"
    assert data["answered"] is True
    assert set(data["understood"]["model"]) >= {"id", "name", "params_b", "quant"}
    device = data["understood"]["hardware"]["devices"][0]
    assert set(device) >= {"name", "count", "memory_bytes", "bandwidth_gbps"}
    assert "system_ram_bytes" in data["understood"]["hardware"]
    assert {"context", "kv_cache", "runtime"} <= set(data["understood"])
    assert data["verdict"] in {"runs_on_gpu", "runs_with_offload", "does_not_run"}
    assert set(data["memory"]) >= {
        "weights_bytes",
        "kv_cache_bytes",
        "compute_bytes",
        "overhead_bytes",
        "total_bytes",
        "per_device",
    }
    assert set(data["speed"]["decode_tokens_per_s"]) == {"low", "high"}
    assert "prompt_tokens_per_s" in data["speed"]
    assert data["recommendation"] and data["sources"] and data["reproduce"]


def test_estimate_is_deterministic(catalog: FixtureCatalog) -> None:
    request = FitRequest(model="mixtral 8x7b", hardware="2x 4060 ti 16gb")
    assert estimate(request, catalog) == estimate(request, catalog)


@pytest.mark.parametrize("line", _queries())
def test_every_query_gives_a_verdict_or_an_honest_miss(line: str) -> None:
    parts = [p.strip() for p in line.split("|")]
    options = split_positional(" | ".join(parts))
    answer = willitrun(_snapshot(), **options)  # type: ignore[arg-type]
    if isinstance(answer, FitResult):
        assert answer.verdict in {"runs_on_gpu", "runs_with_offload", "does_not_run"}
        assert answer.memory.total_bytes > 0
        assert answer.speed.decode_tokens_per_s.high >= answer.speed.decode_tokens_per_s.low > 0
        assert answer.reproduce and answer.sources
        assert render_text(answer).startswith(answer.title)
    else:
        assert not answer.answered
        assert answer.missed_option == "model"


def test_handler_turns_unknown_hardware_into_a_miss() -> None:
    answer = willitrun(_snapshot(), model="qwen2.5:72b", hardware="rtx 9999")
    assert not answer.answered
    assert answer.missed_option == "hardware"


def test_handler_rejects_a_bad_quant_politely() -> None:
    answer = willitrun(_snapshot(), model="qwen2.5:72b", hardware="2x3090", quant="q9_z")
    assert not answer.answered
    assert answer.error


@pytest.mark.parametrize(
    ("text", "model", "hardware"),
    [
        ("qwen2.5:72b 2x3090", "qwen2.5:72b", "2x3090"),
        ("llama 3 70b q5 2x 3090", "llama 3 70b q5", "2x 3090"),
        ("mixtral 8x7b 2x 4060 ti 16gb", "mixtral 8x7b", "2x 4060 ti 16gb"),
        ("Qwen/Qwen2.5-Coder-32B-Instruct RTX 4090", "Qwen/Qwen2.5-Coder-32B-Instruct", "RTX 4090"),
    ],
)
def test_positional_split(text: str, model: str, hardware: str) -> None:
    request = request_from_text(text)
    assert (request.model, request.hardware) == (model, hardware)


def test_pipe_separated_extras() -> None:
    options = split_positional("qwen2.5:72b | 2x3090 | context 32768 kv q8_0")
    assert options == {"model": "qwen2.5:72b", "hardware": "2x3090", "context": "32768",
                       "kv_cache": "q8_0"}  # fmt: skip
    assert re.fullmatch(r"Q5_K_M|q5_K_M", split_positional("a | b | quant q5_K_M")["quant"])


def test_runtimes_without_offload_need_it_all_on_the_gpu(catalog: FixtureCatalog) -> None:
    r = estimate(FitRequest(model="llama3.1:70b", hardware="4090", runtime="vllm"), catalog)
    assert r.verdict == "does_not_run"
    assert r.understood.runtime == "vllm"


def test_ollama_caps_the_context_at_the_trained_length(catalog: FixtureCatalog) -> None:
    r = estimate(FitRequest(model="qwen2.5:7b", hardware="4090", context=65536), catalog)
    assert r.understood.context == 32768
    assert any("caps the context" in n for n in r.notes)


@pytest.mark.parametrize("line", _queries())
def test_compact_rendering_fits_a_discord_message(line: str) -> None:
    from bot.render.fit_text import render_fit_compact

    options = split_positional(" | ".join(p.strip() for p in line.split("|")))
    answer = willitrun(_snapshot(), **options)  # type: ignore[arg-type]
    if isinstance(answer, FitResult):
        text = render_fit_compact(answer)
        assert len(text) <= 2000
        assert answer.title in text


def _shipped_snapshot() -> Snapshot | None:
    from bot.content.loader import load_content

    try:
        snapshot = load_content(Path(__file__).resolve().parents[2])
    except Exception:
        return None
    return snapshot if snapshot.models else None


SHIPPED = _shipped_snapshot()


@pytest.mark.skipif(SHIPPED is None, reason="the shipped catalog has no models yet")
@pytest.mark.parametrize("line", _queries())
def test_every_query_resolves_against_the_shipped_catalog(line: str) -> None:
    options = split_positional(" | ".join(p.strip() for p in line.split("|")))
    answer = willitrun(SHIPPED, **options)  # type: ignore[arg-type]
    assert isinstance(answer, FitResult), answer.summary
    assert answer.memory.total_bytes > 0
    assert answer.reproduce and answer.sources


@pytest.mark.skipif(SHIPPED is None, reason="the shipped catalog has no models yet")
def test_a_model_name_cut_short_by_the_positional_split_is_read_whole() -> None:
    # "command r7b rtx 3090" has no size word, so the split gives the model "command".
    options = split_positional("command r7b rtx 3090")
    assert options["model"] == "command"
    answer = willitrun(SHIPPED, **options)  # type: ignore[arg-type]
    assert isinstance(answer, FitResult), answer.summary
    assert answer.entry_id == "command-r7b-7b"
    assert answer.understood.hardware.devices[0].name == "NVIDIA GeForce RTX 3090"


@pytest.mark.skipif(SHIPPED is None, reason="the shipped catalog has no models yet")
def test_an_unknown_word_in_the_hardware_is_not_swallowed_into_the_model() -> None:
    answer = willitrun(SHIPPED, model="llama3.1:8b", hardware="zzz 3090")
    assert not isinstance(answer, FitResult)
    assert answer.missed_option == "hardware"
    # An exact tag is whole: "3" must not turn llama3.1:8b into another model ("...8b 3").
    answer = willitrun(SHIPPED, model="llama3.1:8b", hardware="3 rx 9060 xt 8gb")
    assert not isinstance(answer, FitResult)
    assert answer.missed_option == "hardware"


@pytest.mark.skipif(SHIPPED is None, reason="the shipped catalog has no models yet")
def test_choosegpu_states_what_the_gpu_holds_not_the_total_with_the_cpu_side() -> None:
    from bot.planning.fitport import EnginePort

    assert SHIPPED is not None
    out = EnginePort(SHIPPED).fit("llama3.1:8b", "rtx 3060 12gb", context=8192)
    assert out.verdict == "runs_on_gpu"
    assert 0 < out.gpu_bytes < out.total_bytes  # Ollama keeps the token embeddings in RAM
    assert out.gpu_bytes <= 12 * GIB


@pytest.mark.parametrize(
    ("text", "model", "hardware"),
    [
        ("gpt oss on 5090", "gpt oss", "5090"),
        ("dolphin 3 on rx 9060 xt 8gb", "dolphin 3", "rx 9060 xt 8gb"),
        ("qwen2.5:72b 2x3090", "qwen2.5:72b", "2x3090"),
    ],
)
def test_positional_text_splits_at_on_or_after_the_size(
    text: str, model: str, hardware: str
) -> None:
    request = request_from_text(text)
    assert (request.model, request.hardware) == (model, hardware)


@pytest.mark.skipif(SHIPPED is None, reason="the shipped catalog has no models yet")
def test_no_size_given_picks_the_smallest_and_says_so() -> None:
    answer = willitrun(SHIPPED, model="gpt oss", hardware="rtx 5090")
    assert isinstance(answer, FitResult)
    assert answer.entry_id == "gpt-oss-20b"
    assert any("No size was given" in n and "gpt-oss 120B" in n for n in answer.notes)
    sized = willitrun(SHIPPED, model="gpt-oss:120b", hardware="rtx 5090")
    assert isinstance(sized, FitResult)
    assert not any("No size was given" in n for n in sized.notes)


@pytest.mark.skipif(SHIPPED is None, reason="the shipped catalog has no models yet")
def test_a_version_word_left_in_the_hardware_is_read_back_into_the_model() -> None:
    # "dolphin" alone already names Dolphin 3; the "3" belongs to its name, not to the device.
    answer = willitrun(SHIPPED, model="dolphin", hardware="3 rx 9060 xt 8gb")
    assert isinstance(answer, FitResult), answer.summary
    assert answer.entry_id == "dolphin3-8b"


@pytest.mark.skipif(SHIPPED is None, reason="the shipped catalog has no models yet")
def test_ollamas_larger_gpt_oss_build_is_noted_only_for_ollama() -> None:
    ollama = willitrun(SHIPPED, model="gpt-oss:20b", hardware="rtx 4060 ti 16gb")
    llama_cpp = willitrun(
        SHIPPED, model="gpt-oss:20b", hardware="rtx 4060 ti 16gb", runtime="llama.cpp"
    )
    assert isinstance(ollama, FitResult) and isinstance(llama_cpp, FitResult)
    assert any("Ollama's own gpt-oss 20B download" in n for n in ollama.notes)
    assert not any("Ollama's own" in n for n in llama_cpp.notes)


def test_a_measured_speed_says_how_long_the_run_was(catalog: FixtureCatalog) -> None:
    def bench(gen_tokens: int, value: float) -> BenchmarkEntry:
        return BenchmarkEntry.model_validate(
            {
                "id": f"llama3.1-8b-3090-tg{gen_tokens}",
                "model": "llama3.1-8b",
                "quant": "Q4_K_M",
                "devices": [{"hardware": "rtx-3090", "count": 1}],
                "runtime": "llama-cpp",
                "metric": "decode_tps",
                "value": value,
                "gen_tokens": gen_tokens,
                "sources": [{"title": "A published table", "url": "https://example.org/t"}],
                "reviewed_on": "2026-11-22",
            }
        )

    measured = FixtureCatalog(
        catalog.models, catalog.hardware, (bench(128, 120.5), bench(8192, 95.2))
    )
    r = estimate(FitRequest(model="llama3.1:8b", hardware="rtx 3090"), measured)
    assert any(
        "120.5 tokens/s generating" in m and "128 tokens generated" in m for m in r.speed.measured
    )
    assert any(
        "95.2 tokens/s generating" in m and "8192 tokens generated" in m for m in r.speed.measured
    )
