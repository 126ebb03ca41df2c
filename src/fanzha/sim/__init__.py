"""sim room of Fanzha: a synthetic region (Sichuan, real division codes) with ordinary life,
organised fraud and ground truth. Entry points: :func:`fanzha.sim.output.generate` (files),
:func:`fanzha.sim.engine.simulate` (any sink), :class:`fanzha.sim.stream.Streamer` (HTTP). See
``docs/sim.md``."""
