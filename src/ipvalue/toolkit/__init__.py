"""The valuation toolkit on the web: the engine's API now, guided valuations later."""
