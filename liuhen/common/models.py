"""No tables of its own: common holds mechanisms (append-only base, encrypted fields). This module
exists so that Django sends common its post_migrate signal, which installs the triggers."""
