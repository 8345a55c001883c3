"""The kit's version, in a module of its own: batch provenance and manifests record it without
importing the public face in `playbook/__init__.py`, which names every layer."""

__version__ = "0.1.0"
