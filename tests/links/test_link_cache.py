from pathlib import Path

from companion import __version__
from companion.cli.main import main
from companion.links.verdicts import LinkResult
from companion.store.link_cache import LinkCache

from .server import Server


def test_only_definitive_results_are_cached_and_fragments_are_part_of_the_key(tmp_path: Path):
    cache = LinkCache(tmp_path, ttl_s=3600)
    cache.put_many(
        [
            LinkResult("https://a.example/", "ok", 200, checked_at=1000),
            LinkResult("https://b.example/", "offline", checked_at=1000),
            LinkResult("mailto:x@y.z", "skipped", checked_at=1000),
            LinkResult("https://c.example/", "blocked", 403, checked_at=1000),
        ],
        fragments=True,
    )
    again = LinkCache(tmp_path, ttl_s=3600)
    assert again.get("https://a.example/", fragments=True, now=2000).verdict == "ok"
    assert again.get("https://c.example/", fragments=True, now=2000).verdict == "blocked"
    assert again.get("https://b.example/", fragments=True, now=2000) is None
    assert again.get("mailto:x@y.z", fragments=True, now=2000) is None
    assert again.get("https://a.example/", fragments=False, now=2000) is None  # other key
    assert again.get("https://a.example/", fragments=True, now=1000 + 3601) is None  # expired
    assert again.latest("https://a.example/").status == 200


def test_the_user_agent_names_companion_and_can_be_set(tmp_path: Path, capsys):
    server = Server()
    try:
        doc = tmp_path / "d.md"
        doc.write_text(f"- [x]({server.base}/ok)\n")
        main(["--data-dir", str(tmp_path / "a"), "check-links", str(doc)])
        assert server.agents[-1] == f"companion/{__version__} (link checker)"
        (tmp_path / "b").mkdir()
        (tmp_path / "b" / "config.toml").write_text('user_agent = "my-checker/2"\n')
        main(["--data-dir", str(tmp_path / "b"), "check-links", str(doc), "--no-cache"])
        assert server.agents[-1] == "my-checker/2"
    finally:
        server.stop()
    capsys.readouterr()
