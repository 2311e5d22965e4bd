"""The offline release: the front-end files checked against package-lock.json, the checksums bin/setup
checks before it installs. (bin/bundle-check in CI builds, installs and serves a whole release.)"""

import base64
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def load_frontend_files():
    loader = SourceFileLoader("frontend_files", str(ROOT / "bin" / "frontend-files"))
    module = module_from_spec(spec_from_loader("frontend_files", loader))
    loader.exec_module(module)
    return module


def npm_tarball(path, files):
    """A package tarball as npm packs it: every file under package/."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def sha512_integrity(data):
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_a_tarball_that_differs_from_the_lock_is_refused(tmp_path):
    frontend = load_frontend_files()
    tarball = tmp_path / "echarts-6.1.0.tgz"
    npm_tarball(tarball, {"dist/echarts.min.js": b"the locked build"})
    frontend.check_integrity(tarball, sha512_integrity(tarball.read_bytes()), "echarts@6.1.0")

    with pytest.raises(SystemExit, match="does not match package-lock.json"):
        frontend.check_integrity(tarball, sha512_integrity(b"another build"), "echarts@6.1.0")
    with pytest.raises(SystemExit, match="no sha512 integrity"):
        frontend.check_integrity(tarball, "sha1-" + base64.b64encode(b"x" * 20).decode(), "echarts@6.1.0")


def test_only_the_served_files_and_the_licence_are_unpacked(tmp_path):
    frontend = load_frontend_files()
    tarball = tmp_path / "echarts-6.1.0.tgz"
    npm_tarball(
        tarball,
        {
            "dist/echarts.min.js": b"min",
            "dist/echarts.js": b"full build",
            "src/chart.ts": b"source",
            "LICENSE": b"Apache License",
            "NOTICE": b"notice",
        },
    )
    dest = tmp_path / "node_modules" / "echarts"
    frontend.unpack(tarball, ["dist/echarts.min.js"], dest)
    unpacked = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert unpacked == ["LICENSE", "NOTICE", "dist/echarts.min.js"]
    assert (dest / "dist" / "echarts.min.js").read_bytes() == b"min"

    with pytest.raises(SystemExit, match="has no dist/missing.js"):
        frontend.unpack(tarball, ["dist/missing.js"], tmp_path / "other")


def test_every_served_package_is_locked_with_sha512():
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    manifest = json.loads((ROOT / "package.json").read_text())["dependencies"]
    for rel in settings.NPM_STATIC_FILES.values():
        name = rel.split("/")[0]
        entry = lock[f"node_modules/{name}"]
        assert entry["version"] == manifest[name]
        assert entry["integrity"].startswith("sha512-")


def test_the_runtime_requirements_are_pinned_and_included_in_requirements_txt():
    included = (ROOT / "requirements.txt").read_text().splitlines()
    assert "-r requirements/runtime.txt" in included
    runtime = [
        line for line in (ROOT / "requirements" / "runtime.txt").read_text().splitlines() if not line.startswith("#")
    ]
    assert runtime and all("==" in line for line in runtime)
    assert any(line.startswith("Django==") for line in runtime)
    assert not any(line.startswith(("pytest", "ruff")) for line in runtime)


@pytest.fixture
def release(tmp_path):
    """A tiny unpacked release (no real wheels: the checks run before pip)."""
    root = tmp_path / "projectreg"
    (root / "bin").mkdir(parents=True)
    shutil.copy(ROOT / "bin" / "setup", root / "bin" / "setup")
    (root / "wheels").mkdir()
    (root / "wheels" / "demo-1.0-py3-none-any.whl").write_bytes(b"wheel")
    (root / "manage.py").write_text("# code\n")
    (root / "BUNDLE-INFO").write_text("release=projectreg-test\npython_version=0.0\n")
    files = ["BUNDLE-INFO", "bin/setup", "manage.py", "wheels/demo-1.0-py3-none-any.whl"]
    lines = [f"{hashlib.sha256((root / f).read_bytes()).hexdigest()}  {f}\n" for f in files]
    (root / "SHA256SUMS").write_text("".join(lines))
    return root


def run_setup(root):
    return subprocess.run([root / "bin" / "setup", "--offline"], capture_output=True, text=True, timeout=60)


def test_setup_offline_refuses_a_changed_file(release):
    (release / "manage.py").write_text("# changed on the stick\n")
    result = run_setup(release)
    assert result.returncode == 1
    assert "manage.py: FAILED" in result.stdout
    assert "files differ from SHA256SUMS" in result.stderr


def test_setup_offline_refuses_a_wheel_not_in_the_list(release):
    (release / "wheels" / "extra-1.0-py3-none-any.whl").write_bytes(b"slipped in")
    result = run_setup(release)
    assert result.returncode == 1
    assert "not in SHA256SUMS: wheels/extra-1.0-py3-none-any.whl" in result.stderr


def test_setup_offline_refuses_a_path_outside_the_release(release):
    with (release / "SHA256SUMS").open("a") as sums:
        sums.write(f"{'0' * 64}  ../outside\n")
    result = run_setup(release)
    assert result.returncode == 1
    assert "names a path outside the release" in result.stderr


def test_setup_offline_checks_the_python_version_after_the_checksums(release):
    result = run_setup(release)
    assert result.returncode == 1
    assert "Checking 4 files against SHA256SUMS" in result.stdout
    assert "this release's wheels are for Python 0.0" in result.stderr
