"""Writers, one per target format: the YAML folder (canonical) and CSV/XLSX tables."""

from .folder import dump_yaml, to_plain, write_folder

__all__ = ["dump_yaml", "to_plain", "write_folder", "write_landscape"]

write_landscape = write_folder
