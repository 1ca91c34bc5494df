"""Build hook: ship the top-level `sample_sessions/` folder inside the wheel as `journal.sample_sessions`.

Everything else about the build lives in pyproject.toml. The samples stay at the top of the checkout
(where `make demo` and the tests read them) and are mapped into the package so that an installed
`tonus demo` finds them too.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["journal", "journal.*"]), "journal.sample_sessions"],
    package_dir={"journal.sample_sessions": "sample_sessions"},
)
