"""Copies the CloudFormation template into the package at build time, so an installed
seedkeeper-aws carries the same template the repository holds (one file, no second copy in git)."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithTemplate(build_py):
    def run(self):
        super().run()
        dest = Path(self.build_lib) / "seedkeeper_aws" / "seedkeeper.yaml"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HERE / "seedkeeper.yaml", dest)


setup(cmdclass={"build_py": BuildWithTemplate})
