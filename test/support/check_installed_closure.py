"""Checks that an environment installed with `pip install --no-deps` from a lock holds everything its top-level
requirements need, following extras: usage `python check_installed_closure.py requirements.in`.

`pip check` alone is not enough: it checks each installed package's own requirements, but not the extras one
package asks of another (LiteLLM asks for `httpx[http2]`, which needs `h2`), so a lock missing `h2` passes it.
Prints one line per unmet requirement and exits 1 when there is any.
"""

import sys
from importlib import metadata

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # a bare virtualenv: pip carries its own copy
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name


def top_level_requirements(path):
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            requirement = line.split("#", 1)[0].strip()
            if requirement and not requirement.startswith("-"):
                yield Requirement(requirement)


def shown(requirement):
    """The requirement as the dependent asks for it, without the marker that selected it."""
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    return f"{requirement.name}{extras}{requirement.specifier}"


def unmet_requirements(roots_file):
    installed = {canonicalize_name(dist.metadata["Name"]): dist for dist in metadata.distributions()}
    expanded = set()
    pending = [(roots_file, requirement) for requirement in top_level_requirements(roots_file)]
    while pending:
        wanted_by, requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        dist = installed.get(name)
        if dist is None:
            yield f"{wanted_by} requires {shown(requirement)}, which is not installed"
            continue
        if not requirement.specifier.contains(dist.version, prereleases=True):
            yield f"{wanted_by} requires {shown(requirement)}, but {dist.version} is installed"
            continue
        for extra in ["", *sorted(requirement.extras)]:
            if (name, extra) in expanded:
                continue
            expanded.add((name, extra))
            for line in dist.requires or []:
                child = Requirement(line)
                if child.marker is None or child.marker.evaluate({"extra": extra}):
                    pending.append((f"{dist.metadata['Name']} {dist.version}", child))


def main():
    problems = sorted(set(unmet_requirements(sys.argv[1])))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
