"""ipvalue: a platform for valuing and commercializing intellectual property."""

__version__ = "0.1.0"
