#!/usr/bin/env python3
"""Checks, without a Docker engine, that the runtime stage of the Dockerfile installs every shared library the
al-cape binary needs, linked or loaded on demand (dlopen: libcurl, libmagic): each library `ldd` resolves must belong (dpkg -S) to a package of RUNTIME_PACKAGES or to
one of their recursive Depends (apt-cache depends), which apt installs with them.

usage: image_libs.py DOCKERFILE AL_CAPE_BINARY [DLOPENED_SONAME ...]
"""
import os
import re
import subprocess
import sys


OWNERS = {}


def variants(path):
    return {path, os.path.realpath(path), path.replace("/usr/lib/", "/lib/"),
            os.path.realpath(path).replace("/usr/lib/", "/lib/")}


def load_owners(paths):
    """One dpkg -S call for every candidate path (dpkg is slow to start)."""
    cands = sorted({v for p in paths for v in variants(p)})
    r = subprocess.run(["dpkg", "-S", *cands], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        pkgs, _, file = line.partition(": ")
        OWNERS[file.strip()] = pkgs.split(",")[0].split(":")[0].strip()


def owner(path):
    for p in variants(path):
        if p in OWNERS:
            return OWNERS[p]
    return None


def resolve(soname):
    """The path the dynamic loader would open for `soname` (ldconfig's cache)."""
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in cache.splitlines():
        parts = line.strip().split(" => ")
        if len(parts) == 2 and parts[0].split(" ")[0] == soname:
            return parts[1]
    return None


def main():
    dockerfile, binary, dlopened = sys.argv[1], sys.argv[2], sys.argv[3:]
    text = open(dockerfile).read()
    runtime = text.split("FROM debian:bookworm-slim", 1)
    if len(runtime) != 2:
        print("no debian:bookworm-slim runtime stage")
        return 1
    m = re.search(r'ARG RUNTIME_PACKAGES="([^"]+)"', runtime[1])
    if not m:
        print("no RUNTIME_PACKAGES in the runtime stage")
        return 1
    listed = m.group(1).split()
    if "USER 1000" not in runtime[1] or "coreutils" not in listed:
        print("runtime stage must run as uid 1000 and keep chown (coreutils)")
        return 1
    deps = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                           "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *listed],
                          capture_output=True, text=True)
    closure = set(listed)
    for line in deps.stdout.splitlines():
        line = line.strip()
        if line.startswith(("Depends:", "PreDepends:")):
            closure.add(line.split(":", 1)[1].strip().strip("<>").split(":")[0])
        elif line and not line.startswith(("|", "Suggests", "Recommends")) and ":" not in line:
            closure.add(line.strip("<>"))
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    # A library loaded on demand is a direct dependency too; ldd on it gives its own dependencies.
    for soname in dlopened:
        path = resolve(soname)
        if path is None:
            print(f"{soname}: loaded on demand, but not found on this machine")
            return 1
        ldd += f"\t{soname} => {path}\n"
        ldd += subprocess.run(["ldd", path], capture_output=True, text=True, check=True).stdout
    load_owners(re.findall(r"=> (/\S+)", ldd))
    missing = []
    checked = 0
    for line in ldd.splitlines():
        mm = re.match(r"\s*(\S+) => (\S+)", line)
        if not mm:
            continue
        lib, path = mm.groups()
        if path == "not":
            missing.append(f"{lib}: not found on this machine")
            continue
        pkg = owner(path)
        checked += 1
        if pkg is None:
            missing.append(f"{lib}: no package owns {path}")
        elif pkg not in closure:
            missing.append(f"{lib}: from {pkg}, which RUNTIME_PACKAGES does not install")
    direct = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True).stdout
    needed = re.findall(r"\(NEEDED\).*\[(.+)\]", direct) + dlopened
    for lib in needed:  # direct dependencies must come from a listed package, not by accident
        path = next((l.split("=>")[1].split()[0] for l in ldd.splitlines() if l.strip().startswith(lib + " ")), None)
        pkg = owner(path) if path else None
        if pkg and pkg not in listed:
            missing.append(f"{lib}: needed directly, its package {pkg} should be listed in RUNTIME_PACKAGES")
    for m in missing:
        print(m)
    print(f"{checked} libraries checked, {len(needed)} direct, {len(missing)} problems")
    return 1 if missing or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
