"""geokg's domain: codebook, actors, extraction, store, network algorithms and export.

Nothing in this package imports the web layer (`app/`).
"""

from pathlib import Path

__version__ = "0.1.0"

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
